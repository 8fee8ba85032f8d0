// The gateway's answers, shaped like Starrys answers (reference §4.1): `Response.Error` 0 is success;
// 24 "in progress" (wait and repeat the same RequestId) and 6 "undefined outcome" (the register may or
// may not have made the document; the gateway is reconciling — keep repeating, never change the body)
// carry Starrys' meaning. Codes 1001 and up are the gateway's own refusals; none of them fiscalised anything.
import type { JournalDocument } from '../../store/fiscal-journal';

export const PATH_COMPLEX = '/fr/api/v2/Complex';

export const GATEWAY_ERROR = {
  ok: 0,
  /** Starrys 6: sent to the device, outcome unknown; cached; resolved by reconciliation. */
  undefinedOutcome: 6,
  /** Starrys 24: in progress. */
  inProgress: 24,
  badRequest: 1001,
  wrongPassword: 1002,
  requestIdReused: 1003,
  noRegister: 1004,
  /** The register refused the receipt or a person must look; the answer is final and cached. */
  notFiscalised: 1005,
  callbackNotAllowed: 1006,
  internal: 1099,
} as const;

export interface GatewayAnswer {
  RequestId: string | null;
  ClientId?: string;
  Path: string;
  Response: { Error: number; ErrorMessages: string[]; ErrorMessagesRu?: string[] };
  /** Present when the document exists. */
  FNSerialNumber?: string;
  FiscalDocNumber?: number;
  FiscalSign?: string;
  GrandTotal?: number;
  DocumentType?: number;
  DateTime?: string | null;
  Device?: { Name: string };
}

export interface AnswerOf { requestId: string | null; clientId?: string }

function base(of: AnswerOf, error: number, en: string[], ru?: string[]): GatewayAnswer {
  return {
    RequestId: of.requestId, ...(of.clientId ? { ClientId: of.clientId } : {}), Path: PATH_COMPLEX,
    Response: { Error: error, ErrorMessages: en, ...(ru ? { ErrorMessagesRu: ru } : {}) },
  };
}

export const answers = {
  done: (of: AnswerOf, d: { registerId: string; fnSerial: string; doc: JournalDocument; totalKopecks: number; documentType: number }): GatewayAnswer => ({
    ...base(of, GATEWAY_ERROR.ok, []),
    FNSerialNumber: d.fnSerial, FiscalDocNumber: d.doc.fdNumber, FiscalSign: d.doc.fiscalSign, GrandTotal: d.totalKopecks,
    DocumentType: d.documentType, DateTime: d.doc.dateTime, Device: { Name: d.registerId },
  }),
  inProgress: (of: AnswerOf): GatewayAnswer => base(of, GATEWAY_ERROR.inProgress,
    ['The receipt is being fiscalised: repeat the same request (same RequestId and body) later'],
    ['Чек пробивается: повторите тот же запрос (тот же RequestId) позже']),
  undefinedOutcome: (of: AnswerOf, reason: string): GatewayAnswer => base(of, GATEWAY_ERROR.undefinedOutcome,
    [`The register did not confirm the document; the gateway is reconciling with it. Repeat the same request later; do not send the receipt under another RequestId. (${reason})`],
    ['Касса не подтвердила документ; идёт сверка. Повторите тот же запрос позже и не пробивайте чек под другим RequestId']),
  badRequest: (of: AnswerOf, problems: string[]): GatewayAnswer => base(of, GATEWAY_ERROR.badRequest,
    ['The request is not valid; nothing was fiscalised', ...problems], ['Запрос неверен; чек не пробит']),
  wrongPassword: (of: AnswerOf): GatewayAnswer => base(of, GATEWAY_ERROR.wrongPassword,
    ['Wrong password; nothing was fiscalised'], ['Неверный пароль; чек не пробит']),
  requestIdReused: (of: AnswerOf): GatewayAnswer => base(of, GATEWAY_ERROR.requestIdReused,
    ['This RequestId was already used with a different request; nothing new was fiscalised. Use a new RequestId for a new receipt'],
    ['Этот RequestId уже использован с другим запросом; новый чек не пробит']),
  noRegister: (of: AnswerOf): GatewayAnswer => base(of, GATEWAY_ERROR.noRegister,
    ['No fiscal register is available; nothing was fiscalised. Repeat later'], ['Нет доступной кассы; чек не пробит. Повторите позже']),
  notFiscalised: (of: AnswerOf, reason: string): GatewayAnswer => base(of, GATEWAY_ERROR.notFiscalised,
    [`The register did not make the document: ${reason}`], ['Касса не пробила чек']),
  callbackNotAllowed: (of: AnswerOf, host: string): GatewayAnswer => base(of, GATEWAY_ERROR.callbackNotAllowed,
    [`Callbacks to ${host} are not allowed by the gateway's configuration; nothing was fiscalised`],
    ['Адрес обратного вызова не разрешён; чек не пробит']),
  internal: (of: AnswerOf): GatewayAnswer => base(of, GATEWAY_ERROR.internal, ['Internal gateway error'], ['Внутренняя ошибка шлюза']),
};
