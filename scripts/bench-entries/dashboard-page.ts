// What a page with <auth-login> and <qlik-dashboard> downloads up front (the session runtime loads later).
import '../../src/define/auth-login.ts';
import '../../src/define/qlik-dashboard.ts';
