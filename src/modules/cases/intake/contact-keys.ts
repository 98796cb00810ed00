/** The encrypted column of cases, for `gongzhi keys rotate`. */
import type { EncryptedColumn } from "../../../platform/pii/rotate.js";
import { contactPhoneContext } from "./intake.js";

export const caseContactColumn: EncryptedColumn = { table: "cases", column: "contact_phone_enc", context: contactPhoneContext };
