/** Units the plan fixtures use, and the order of the unit catalogue they are listed in. */
export const PLAN = '市规划资源局河东分局';
export const BUILD = '区住房城乡建设委';
export const UNIT_ORDER = ['市规划资源局河东分局', '区发展改革委', '区财政局', '区住房城乡建设委', '区国资委', '区产业发展促进局'];
