import { maskIdNumber, maskName, maskPhone, maskPlate } from '../src';

describe('maskIdNumber', () => {
  it('keeps region and the last 4 of an 18-character id', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110101********1234');
    expect(maskIdNumber('65900219900517234x')).toBe('659002********234X');
  });
  it('keeps 2 + 2 of a passport-length number and little of a short one', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('A1234')).toBe('****4');
  });
});

describe('maskPhone', () => {
  it('masks the middle 4 of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('+86 138****5678');
  });
  it('keeps the last 4 of a landline', () => {
    expect(maskPhone('0997-4612345')).toBe('*******2345');
  });
});

describe('maskName', () => {
  it('keeps the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('张')).toBe('*');
  });
  it('keeps separators of multi-part names', () => {
    expect(maskName('阿依古丽·买买提')).toBe('阿***·***');
    expect(maskName('John Smith')).toBe('J*** *****');
  });
});

describe('maskPlate', () => {
  it('keeps province, authority letter and the last 2', () => {
    expect(maskPlate('新N12323')).toBe('新N·***23');
    expect(maskPlate('新N·12323')).toBe('新N·***23');
    expect(maskPlate('新nd12345')).toBe('新N·****45');
  });
  it('masks plates of unknown shape down to the last 2', () => {
    expect(maskPlate('AB12345')).toBe('*****45');
  });
});
