import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { negotiate, negotiateError, negotiateWatch } from './negotiate.js';

const PB = 'application/vnd.kubernetes.protobuf';
const ALL = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';
const STREAMS = 'only the following media types are accepted: application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch';

const notAcceptable = (message: string) => (err: unknown) => err instanceof ApiError && err.code === 406 && err.reason === 'NotAcceptable' && err.message === message;

describe('negotiate', () => {
  it('answers JSON without Accept, and each media type asked for by name', () => {
    assert.deepEqual(negotiate(undefined), { mediaType: 'json' });
    assert.deepEqual(negotiate(''), { mediaType: 'json' });
    assert.deepEqual(negotiate('application/json'), { mediaType: 'json' });
    assert.deepEqual(negotiate('application/yaml'), { mediaType: 'yaml' });
    assert.deepEqual(negotiate(PB), { mediaType: 'protobuf' });
  });

  it("takes client-go's protobuf-first header as protobuf, and the first clause the server can serve", () => {
    assert.deepEqual(negotiate(`${PB},application/json`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiate('application/json, */*'), { mediaType: 'json' });
    assert.deepEqual(negotiate(`text/html, ${PB}`), { mediaType: 'protobuf' });
  });

  it('orders clauses by quality, then concrete types before wildcards, else as written', () => {
    assert.deepEqual(negotiate(`application/json;q=0.5, ${PB}`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiate(`*/*;q=0.1, ${PB};q=0.9`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiate(`*/*, ${PB}`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiate(`application/*, ${PB}`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiate(`application/yaml, ${PB}`), { mediaType: 'yaml' });
    // A quality strconv.ParseFloat cannot read is 0; q=0 itself still matches in 1.32.
    assert.deepEqual(negotiate('application/json;q=abc, application/yaml;q=0.5'), { mediaType: 'yaml' });
    assert.deepEqual(negotiate('application/json;q=0'), { mediaType: 'json' });
  });

  it('gives wildcards the first media type of the server, JSON', () => {
    assert.deepEqual(negotiate('*/*'), { mediaType: 'json' });
    assert.deepEqual(negotiate('*'), { mediaType: 'json' });
    assert.deepEqual(negotiate('application/*'), { mediaType: 'json' });
  });

  it('serves Tables in JSON and YAML only, and PartialObjectMetadata in any media type', () => {
    const table = (t: string, v = 'v1') => `${t};as=Table;v=${v};g=meta.k8s.io`;
    assert.deepEqual(negotiate(`${table(PB)}, ${table('application/json')}, application/json`), { mediaType: 'json', as: 'table' });
    assert.deepEqual(negotiate(`${table(PB)}, application/json`), { mediaType: 'json' });
    assert.deepEqual(negotiate(table('application/yaml', 'v1beta1')), { mediaType: 'yaml', as: 'table' });
    const metadataClient = `${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json`;
    assert.deepEqual(negotiate(metadataClient), { mediaType: 'protobuf', as: 'partial' });
    assert.deepEqual(negotiate('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'), { mediaType: 'json', as: 'partial' });
  });

  it('skips clauses whose parameters the endpoint does not allow', () => {
    assert.throws(() => negotiate('application/json;as=Table'), notAcceptable(ALL), 'no group and version');
    assert.throws(() => negotiate('application/json;as=Table;g=meta.k8s.io;v=v2'), notAcceptable(ALL));
    assert.throws(() => negotiate('application/json;as=Pod;g=meta.k8s.io;v=v1'), notAcceptable(ALL));
    assert.throws(() => negotiate('application/json;g=meta.k8s.io;v=v1'), notAcceptable(ALL), 'no kind');
    assert.throws(() => negotiate('application/json;sv=v2'), notAcceptable(ALL));
    assert.deepEqual(negotiate('application/json;sv=v1;pretty=1;other=x'), { mediaType: 'json' });
    assert.throws(() => negotiate('application/yaml;stream=watch'), notAcceptable(ALL), 'YAML has no watch framing');
    assert.throws(() => negotiate('application/json;stream=other'), notAcceptable(ALL));
  });

  it('compares media types as written, as goautoneg does', () => {
    assert.throws(() => negotiate('Application/JSON'), notAcceptable(ALL));
    assert.deepEqual(negotiate('  application/json ;  q=1 '), { mediaType: 'json' });
    assert.throws(() => negotiate('application/json/x, json, text/html'), notAcceptable(ALL));
  });
});

describe('negotiateWatch', () => {
  it('streams JSON or protobuf', () => {
    assert.deepEqual(negotiateWatch(`${PB};stream=watch`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiateWatch(`${PB}, application/json`), { mediaType: 'protobuf' });
    assert.deepEqual(negotiateWatch('application/json;stream=watch'), { mediaType: 'json' });
  });

  it('refuses YAML with the watch media types, even with JSON further on, as the first match decides', () => {
    assert.throws(() => negotiateWatch('application/yaml'), notAcceptable(STREAMS));
    assert.throws(() => negotiateWatch('application/yaml, application/json'), notAcceptable(STREAMS));
    assert.throws(() => negotiateWatch('text/plain'), notAcceptable(ALL));
  });
});

describe('negotiateError', () => {
  it('writes a Status in the media type asked for, converting nothing', () => {
    assert.equal(negotiateError(undefined), 'json');
    assert.equal(negotiateError(`${PB},application/json`), 'protobuf');
    assert.equal(negotiateError('application/yaml'), 'yaml');
    assert.equal(negotiateError('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'), 'json');
  });

  it('finds none for a Table-only or unknown Accept (the Status then goes out as indented JSON)', () => {
    assert.equal(negotiateError('application/json;as=Table;v=v1;g=meta.k8s.io'), undefined);
    assert.equal(negotiateError('text/html'), undefined);
    assert.equal(negotiateError('application/json;sv=v1'), undefined);
  });
});
