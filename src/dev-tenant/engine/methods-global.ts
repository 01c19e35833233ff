/** Methods on the Global handle (-1). */
import { randomUUID } from 'node:crypto';
import { docReturn, type MethodTable } from './method-kit.ts';
import { ENGINE_VERSION } from './layout.ts';
import { ErrorCode, QixError } from './rpc.ts';

export const globalMethods: MethodTable = {
  OpenDoc: {
    params: ['qDocName', 'qUserName', 'qPassword', 'qSerial', 'qNoData'],
    run(ctx, p) {
      const name = p.string('qDocName');
      p.boolean('qNoData', false);
      // The socket is bound to the app in its URL, as on Qlik Cloud. Opening it again on an
      // attached session answers the open doc rather than LOCERR_APP_ALREADY_OPEN, so a second
      // tab of the same session can join it.
      if (name !== ctx.session.app.id) throw new QixError(ErrorCode.APP_NOT_FOUND, `App not found: ${name}`, 'qDocName');
      ctx.session.openDoc();
      return docReturn(ctx.session);
    },
  },
  GetActiveDoc: {
    params: [],
    run(ctx) {
      if (!ctx.session.docOpen) throw new QixError(ErrorCode.APP_NOT_OPEN, 'App not open', '');
      return docReturn(ctx.session);
    },
  },
  EngineVersion: { params: [], run: () => ({ qVersion: { qComponentVersion: ENGINE_VERSION } }) },
  ProductVersion: { params: [], run: () => ({ qReturn: ENGINE_VERSION }) },
  IsDesktopMode: { params: [], run: () => ({ qReturn: false }) },
  GetAuthenticatedUser: { params: [], run: (ctx) => ({ qReturn: `UserDirectory=; UserId=${ctx.session.user.subject}` }) },
  GetDocList: {
    params: [],
    run: (ctx) => ({
      qDocList: ctx.listApps().map((app) => ({
        qDocName: app.def.title,
        qConnectedUsers: 0,
        qFileTime: 0,
        qFileSize: 0,
        qDocId: app.id,
        qMeta: { description: app.def.description, privileges: ['read'] },
        qLastReloadTime: app.def.lastReloadTime,
        qReadOnly: false,
        qTitle: app.def.title,
        qThumbnail: { qUrl: '' },
      })),
    }),
  },
  QTProduct: { params: [], run: () => ({ qReturn: 'Qlik Sense' }) },
  QvVersion: { params: [], run: () => ({ qReturn: ENGINE_VERSION }) },
  OSName: { params: [], run: () => ({ qReturn: process.platform }) },
  OSVersion: { params: [], run: () => ({ qReturn: process.version }) },
  IsPersonalMode: { params: [], run: () => ({ qReturn: false }) },
  AllowCreateApp: { params: [], run: () => ({ qReturn: false }) },
  GetUniqueID: { params: [], run: () => ({ qUniqueID: randomUUID() }) },
  GetStreamList: { params: [], run: () => ({ qStreamList: [] }) },
  // Requests are answered synchronously, so there is never one left to abort or cancel.
  AbortRequest: { params: ['qRequestId'], run: () => ({}) },
  AbortAll: { params: [], run: () => ({}) },
  CancelRequest: { params: ['qRequestId'], run: () => ({}) },
  GetProgress: { params: ['qRequestId'], run: () => ({ qProgressData: { qStarted: true, qFinished: true, qCompleted: 1, qTotal: 1, qKB: 0, qMillisecs: 0, qUserInteractionWanted: false, qPersistentProgressMessages: [], qTransientProgressMessage: {}, qErrorData: [], qPersistentProgress: '', qTransientProgress: '' } }) },
};
