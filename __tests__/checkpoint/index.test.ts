import { expect, it } from '@jest/globals';

import * as checkpoint from '../../src/checkpoint/index.js';

it('exports exactly the checkpoint API, so it changes only on purpose', () => {
  expect(Object.keys(checkpoint).sort()).toEqual([
    'EMPTY_ROOT',
    'HASH_SIZE',
    'MAX_SIGNATURES',
    'MerkleAccumulator',
    'MerkleTree',
    'addCosignature',
    'addSignature',
    'consistencyProof',
    'cosign',
    'cosignatureKeyId',
    'cosignatureLine',
    'formatCheckpointBody',
    'inclusionProof',
    'leafHash',
    'merkleRoot',
    'nodeHash',
    'noteKeyId',
    'noteSignatureLine',
    'openCheckpoint',
    'parseCheckpoint',
    'parseCheckpointBody',
    'parseNote',
    'parseVerifierKey',
    'signNote',
    'verifierKey',
    'verifyConsistency',
    'verifyInclusion',
    'verifyNote',
  ]);
});
