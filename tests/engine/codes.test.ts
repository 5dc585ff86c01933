import {
  industryClassName, industryCodeProblem, industrySection, isIndustrialClass, isValidIndustryClass, isValidParcelId, isValidUscc,
  usccCheckChar, usccProblem,
} from '../../shared/codes';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts the published valid codes', () => {
    expect(isValidUscc('91110000600037341L')).toBe(true);
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('computes the check character from the first 17 characters', () => {
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('rejects a wrong check character and says which one is expected', () => {
    expect(usccProblem('91110000600037341M')).toEqual({ kind: 'check', expected: 'L', found: 'M' });
    // one transposed digit in the body changes the check character too
    expect(isValidUscc('91110000600073341L')).toBe(false);
  });

  it('rejects characters outside the alphabet (I, O, S, V, Z) and wrong lengths', () => {
    expect(usccProblem('9111000060003734IL')).toEqual({ kind: 'char', char: 'I', position: 17 });
    expect(usccProblem('91110000600037341')).toEqual({ kind: 'length', length: 17 });
    expect(usccProblem('91110000600037341LL')).toEqual({ kind: 'length', length: 19 });
    expect(isValidUscc('91110000600037341l')).toBe(false); // lower case is normalised by the reader, not here
  });

  it('lets any alphabet character stand at any position', () => {
    const body = 'YYYYYYYYYYYYYYYYY';
    expect(isValidUscc(body + usccCheckChar(body))).toBe(true);
  });
});

describe('宗地代码 (GB/T 37346-2019)', () => {
  it('accepts 6+6 digits, 特征码 and a 5-digit sequence', () => {
    expect(isValidParcelId('120102001002GB00001')).toBe(true);
    expect(isValidParcelId('120102001002JA12345')).toBe(true);
    expect(isValidParcelId('120102001002ZY00001')).toBe(true);
  });

  it('rejects wrong 特征码 letters, lengths and non-digits', () => {
    expect(isValidParcelId('120102001002XB00001')).toBe(false); // X is not G/J/Z
    expect(isValidParcelId('120102001002GI00001')).toBe(false); // I is not a use letter
    expect(isValidParcelId('120102001002GB0001')).toBe(false);
    expect(isValidParcelId('120102001002GB000011')).toBe(false);
    expect(isValidParcelId('12010200100AGB00001')).toBe(false);
    expect(isValidParcelId('120102001002gb00001')).toBe(false);
  });
});

describe('行业代码 (GB/T 4754-2017)', () => {
  it('knows the 97 大类 and their 门类', () => {
    expect(industrySection('01')).toBe('A');
    expect(industrySection('33')).toBe('C');
    expect(industrySection('79')).toBe('N'); // 土地管理业, new in 2017
    expect(industrySection('97')).toBe('T');
    expect(isValidIndustryClass('00')).toBe(false);
    expect(isValidIndustryClass('98')).toBe(false);
    expect(isValidIndustryClass('3')).toBe(false);
  });

  it('marks 06–46 as industrial and nothing else', () => {
    expect(['05', '06', '12', '13', '43', '44', '46', '47'].map(isIndustrialClass)).toEqual([false, true, true, true, true, true, true, false]);
  });

  it('validates 4-digit 小类 codes by their 大类', () => {
    expect(industryCodeProblem('3311')).toBeNull();
    expect(industryCodeProblem('0611')).toBeNull();
    expect(industryCodeProblem('9911')).toMatch('大类“99”不存在');
    expect(industryCodeProblem('0011')).toMatch('大类“00”');
    expect(industryCodeProblem('331')).toMatch('4位');
    expect(industryCodeProblem('33A1')).toMatch('4位数字');
  });
});

describe('GB/T 4754-2017 大类 names', () => {
  it('names every 大类 01..97 on its own, and a code by its first two digits', () => {
    const names = new Set<string>();
    for (let d = 1; d <= 97; d++) {
      const n = industryClassName(String(d).padStart(2, '0'));
      expect(n).toMatch(/^[\u4e00-\u9fa5、]+$/);
      names.add(n!);
    }
    expect(names.size).toBe(97);
    expect(industryClassName('33')).toBe('金属制品业');
    expect(industryClassName('3311')).toBe('金属制品业');
    expect(industryClassName('13')).toBe('农副食品加工业');
    expect(industryClassName('43')).toBe('金属制品、机械和设备修理业');
    expect(industryClassName('59')).toBe('装卸搬运和仓储业');
    expect(industryClassName('79')).toBe('土地管理业');
    expect(industryClassName('97')).toBe('国际组织');
    for (const bad of ['00', '98', 'x1', '']) expect(industryClassName(bad)).toBeNull();
  });
});
