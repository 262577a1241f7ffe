import { describe, expect, it } from '@jest/globals';
import { crossSiteReason } from '../../src/security/cross-site.js';

describe('crossSiteReason', () => {
  it('lets through requests without browser metadata (scripts, curl)', () => {
    expect(crossSiteReason({ host: 'localhost:5000' })).toBeNull();
    expect(crossSiteReason({})).toBeNull();
  });

  it('follows Sec-Fetch-Site when present, whatever Origin says', () => {
    expect(crossSiteReason({ 'sec-fetch-site': 'same-origin', origin: 'http://elsewhere', host: 'a' })).toBeNull();
    expect(crossSiteReason({ 'sec-fetch-site': 'none' })).toBeNull();
    expect(crossSiteReason({ 'sec-fetch-site': 'Cross-Site', origin: 'http://a', host: 'a' })).toBe('Sec-Fetch-Site: cross-site');
    expect(crossSiteReason({ 'sec-fetch-site': 'same-site' })).toBe('Sec-Fetch-Site: same-site');
  });

  it('else compares Origin with Host (or X-Forwarded-Host), default ports and case aside, scheme not compared', () => {
    expect(crossSiteReason({ origin: 'http://localhost:5000', host: 'localhost:5000' })).toBeNull();
    expect(crossSiteReason({ origin: 'http://LocalHost', host: 'localhost:80' })).toBeNull();
    expect(crossSiteReason({ origin: 'https://api.example', host: 'api.example:443' })).toBeNull();
    expect(crossSiteReason({ origin: 'https://api.example', host: 'api.example' })).toBeNull();
    expect(crossSiteReason({ origin: 'https://front.example', host: 'api:5000', 'x-forwarded-host': 'front.example, api' })).toBeNull();
    expect(crossSiteReason({ origin: 'http://[::1]:5000', host: '[::1]:5000' })).toBeNull();
    expect(crossSiteReason({ origin: 'http://evil.example', host: 'localhost:5000' })).toBe('Origin: http://evil.example is not this host');
    expect(crossSiteReason({ origin: 'http://localhost:5001', host: 'localhost:5000' })).toBe('Origin: http://localhost:5001 is not this host');
    expect(crossSiteReason({ origin: 'http://localhost:5000', host: 'localhost:5000.evil' })).not.toBeNull();
    expect(crossSiteReason({ origin: 'http://localhost:5000' })).not.toBeNull();
  });

  it('refuses opaque and malformed origins', () => {
    expect(crossSiteReason({ origin: 'null', host: 'localhost' })).toBe('Origin: null');
    expect(crossSiteReason({ origin: 'file://', host: 'localhost' })).not.toBeNull();
    expect(crossSiteReason({ origin: `http://x\u0000${'y'.repeat(500)}`, host: 'localhost' })).not.toMatch(/\u0000/);
  });
});
