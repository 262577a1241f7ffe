import { describe, expect, it } from '@jest/globals';
import type { TSchema } from 'typebox';
import { strictValidatorCompiler } from '../../src/validation/strict-validator-compiler.js';
import { CaMensuelQuerySchema, ProcessBodySchema, RepartitionQuerySchema, TopModelesQuerySchema } from '../../src/schemas/index.js';

type Outcome = { value?: unknown; error?: Error };

function validator(schema: TSchema, httpPart: 'querystring' | 'body' | 'params' = 'querystring') {
  const validate = strictValidatorCompiler({ schema, httpPart, method: 'GET', url: '/x' }) as (v: unknown) => Outcome;
  return validate;
}

describe('strict validation of query parameters', () => {
  const topModeles = validator(TopModelesQuerySchema);

  it('turns an integer text into a number and applies the default', () => {
    expect(topModeles({ limit: '7' })).toEqual({ value: { limit: 7 } });
    expect(topModeles({})).toEqual({ value: { limit: 5 } });
    expect(topModeles({ limit: '1' }).value).toEqual({ limit: 1 });
    expect(topModeles({ limit: '100' }).value).toEqual({ limit: 100 });
  });

  it.each(['0', '101', 'abc', '5abc', '1.5', '', ' 5', '0x10', '1e1', '+5', '05', '-1'])('refuses limit=%j', (limit) => {
    const outcome = topModeles({ limit });
    expect(outcome.value).toBeUndefined();
    expect(outcome.error?.message).toContain('limit');
    expect(outcome.error?.message).toContain('an integer from 1 to 100');
    expect((outcome.error as Error & { statusCode?: number }).statusCode).toBe(400);
  });

  it('refuses a parameter given twice and says to give it once', () => {
    const outcome = topModeles({ limit: ['5', '6'] });
    expect(outcome.error?.message).toMatch(/limit' given 2 times; give it once/);
  });

  it('refuses unknown parameters instead of dropping them, naming the allowed ones', () => {
    const outcome = validator(CaMensuelQuerySchema)({ vile: 'Paris' });
    expect(outcome.error?.message).toBe("unknown query parameter 'vile'; allowed: ville, mois");
  });

  it.each(['2023-1', '2023-13', '2023-00', '23-01', '2023-01-01', '2023/01', ''])('refuses mois=%j', (mois) => {
    const outcome = validator(CaMensuelQuerySchema)({ mois });
    expect(outcome.error?.message).toContain('YYYY-MM');
  });

  it('accepts real months and any non-empty ville', () => {
    expect(validator(CaMensuelQuerySchema)({ mois: '2023-12', ville: 'saint-etienne' }).value).toEqual({
      mois: '2023-12',
      ville: 'saint-etienne',
    });
    expect(validator(CaMensuelQuerySchema)({ ville: '' }).error?.message).toContain('ville');
  });

  it('accepts only format=percentage', () => {
    const repartition = validator(RepartitionQuerySchema);
    expect(repartition({ format: 'percentage' }).value).toEqual({ format: 'percentage' });
    for (const format of ['foo', 'PERCENTAGE', '', 'percent']) {
      expect(repartition({ format }).error?.message).toContain('"percentage"');
    }
  });
});

describe('strict validation of the process body', () => {
  const body = validator(ProcessBodySchema, 'body');

  it('takes an absent body as no options', () => {
    expect(body(null)).toEqual({ value: {} });
    expect(body({ source: 'a.csv' })).toEqual({ value: { source: 'a.csv' } });
  });

  it('refuses unknown properties, wrong types and non-objects', () => {
    expect(body({ sourc: 'a.csv' }).error?.message).toBe("unknown body property 'sourc'; allowed: source");
    expect(body({ source: 42 }).error?.message).toContain('source');
    expect(body({ source: '' }).error?.message).toContain('source');
    expect(body('a.csv').error).toBeInstanceOf(Error);
    expect(body([]).error).toBeInstanceOf(Error);
  });
});
