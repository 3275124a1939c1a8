/** The tool version written into every record; a test keeps it equal to package.json's. */
export const TOOL_VERSION = '0.1.0';
