/**
 * The Azure Functions app (Node v4 programming model): importing this module registers every
 * function. Entry of `dist/functions/index.js` (package.json `main`). exceljs is loaded only by
 * the endpoints that write workbooks (templates, consolidate as xlsx), never on import.
 */
import './http/health';
import './http/validate';
import './http/determine';
import './http/templates';
import './http/reference';
import './http/list-reference';
import './http/submit';
import './http/list-submissions';
import './http/consolidate';
import './http/pilot';
