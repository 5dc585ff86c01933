// Regenerates docs/forms.md from the forms and issue catalogues: `npm run docs`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFormsDoc } from '../shared/forms/docs';

writeFileSync(join(__dirname, '..', 'docs', 'forms.md'), renderFormsDoc());
console.log('docs/forms.md written');
