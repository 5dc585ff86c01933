/**
 * Words that mark the parts of an office's sheet that are not records (domain.md §9.1–3). One
 * definition for the reader and for docs/forms.md.
 */

/** Headers of row-number columns (§9.1), as normHeader gives them: values ignored, no unknown-column. */
export const ROW_NUMBER_HEADERS: readonly string[] = ['序号', '编号', '行号', 'no.', 'no'];
/** A cell of a total row begins with one of these, spaces removed (§9.2). */
export const TOTAL_WORDS: readonly string[] = ['合计', '小计', '总计', '共计'];
/** Every non-empty cell of a note row is text beginning with one of these (§9.3). */
export const NOTE_WORDS: readonly string[] = ['注', '说明', '备注', '填表说明', '填表人', '填报人', '制表人', '审核人', '负责人', '联系人', '联系电话', '填报日期', '填报单位', '以下空白', '以下无数据'];
