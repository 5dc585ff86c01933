/** One sheet sent as JSON → the FormRead of its form (named, or recognised from the sheet). */
import { getForm } from '../../shared/forms';
import { readForm, recogniseSheets } from '../../shared/read';
import type { RuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import type { GridRequest } from './grid';
import { HttpError } from './http';

export function readSentSheet(req: GridRequest, rs: RuleSet): FormRead {
  let form = req.form;
  if (!form) {
    const found = recogniseSheets({ file: req.file, sheets: [req.sheet] });
    if (found.length === 0) {
      throw new HttpError(422, 'form-not-recognised', `无法识别工作表“${req.sheet.name}”是哪一张调查表，请使用标准模板或在请求中注明 form`, 'the sheet is not a recognised form; name it with "form"');
    }
    form = found[0].form;
  }
  getForm(form);
  return readForm(req.sheet, form, { file: req.file, ruleSet: rs, date1904: !!req.date1904 });
}
