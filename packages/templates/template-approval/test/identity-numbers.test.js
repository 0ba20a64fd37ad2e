import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidIdCard, isValidUscc, maskIdNumber, maskPhone } from '../src/identity-numbers.js';

describe('身份证号与统一社会信用代码 · applicant identifiers', () => {
  it('checks the resident ID check character', () => {
    assert.equal(isValidIdCard('11010519491231002X'), true);
    assert.equal(isValidIdCard('110105194912310021'), false);
    assert.equal(isValidIdCard('11010519491231002'), false);
  });

  it('checks the unified social credit code check character', () => {
    assert.equal(isValidUscc('91110000802100433B'), true);
    assert.equal(isValidUscc('91110000802100433C'), false);
    // I, O, S, V and Z are not used in the code.
    assert.equal(isValidUscc('91110000802100433I'), false);
  });

  it('masks numbers in lists', () => {
    assert.equal(maskIdNumber('11010519491231002X'), '110105********002X');
    assert.equal(maskPhone('13800001234'), '138****1234');
  });
});
