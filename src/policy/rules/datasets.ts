/**
 * `datasets`: which datasets a model may be trained or evaluated on (`allow`: every dataset must
 * match an entry, each of whose globs — name, path, uri — must match), and licences that must not
 * appear (`deny-licenses`, against the dataset's declared `license`; an SPDX expression is denied
 * when any licence it names is).
 */
import type { DatasetEntry, PolicyResult } from '../../record/predicate.js';
import type { DatasetPattern, DatasetsRule, PolicySubject } from '../types.js';
import { failed, listed, passed, plural } from './result.js';

export function evaluateDatasets(rule: DatasetsRule, subject: PolicySubject): PolicyResult[] {
  const results: PolicyResult[] = [];
  const { datasets } = subject;
  if (rule.allow) {
    const allow = rule.allow;
    const outside = datasets.filter((dataset) => !allow.some((pattern) => matches(pattern, dataset)));
    results.push(
      outside.length === 0
        ? passed('datasets.allow', rule, allowedText(datasets.length))
        : failed(
            'datasets.allow',
            rule,
            `${plural(outside.length, 'dataset')} not on the allow-list: ${listed(outside.map(describeDataset))}`,
          ),
    );
  }
  if (rule.denyLicenses) {
    const denied = new Map(rule.denyLicenses.map((id) => [id.toLowerCase(), id]));
    const offending = datasets.flatMap((dataset) => {
      const found = licensesOf(dataset).filter((id) => denied.has(id.toLowerCase()));
      return found.length > 0 ? [`${dataset.name} (${found.join(', ')})`] : [];
    });
    results.push(
      offending.length === 0
        ? passed(
            'datasets.deny-licenses',
            rule,
            `no dataset declares a denied licence (${rule.denyLicenses.join(', ')})`,
          )
        : failed('datasets.deny-licenses', rule, `datasets under a denied licence: ${listed(offending)}`),
    );
  }
  return results;
}

function allowedText(count: number): string {
  return count === 0 ? 'the record has no datasets' : `all ${plural(count, 'dataset')} on the allow-list`;
}

function matches(pattern: DatasetPattern, dataset: DatasetEntry): boolean {
  const test = (matcher: DatasetPattern['name'], value: string | undefined): boolean =>
    matcher === undefined || (value !== undefined && matcher.regexp.test(value));
  return (
    test(pattern.name, dataset.name) && test(pattern.path, dataset.path) && test(pattern.uri, dataset.uri)
  );
}

function describeDataset(dataset: DatasetEntry): string {
  const where = dataset.uri ?? dataset.path;
  return where !== undefined && where !== dataset.name ? `${dataset.name} (${where})` : dataset.name;
}

/** The licence identifiers a dataset declares: its `license` string (an SPDX expression) or list. */
function licensesOf(dataset: DatasetEntry): string[] {
  const declared = dataset.description?.['license'];
  const texts = Array.isArray(declared) ? declared : [declared];
  return texts
    .filter((text): text is string => typeof text === 'string')
    .flatMap((text) => text.split(/[\s()]+/))
    .filter((id) => id !== '' && !/^(AND|OR|WITH)$/i.test(id));
}
