/** What others may see of a phone number: `155****1234`. */
export const maskPhone = (phone: string): string =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '';

/** What others may see of an ID number: `1101**********8521`. */
export const maskIdno = (idno: string | null): string =>
  idno && idno.length === 18 ? `${idno.slice(0, 4)}**********${idno.slice(-4)}` : '';

/** A shown ID number that is the whole number, not its mask. */
export const isWholeIdno = (shown: string): boolean => shown !== '' && !shown.includes('*');

const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const IDNO_IN_TEXT = /(?<!\d)[1-9]\d{16}[\dXx](?![\dA-Za-z])/g;

/**
 * Masks mainland mobile numbers and resident ID numbers wherever they appear in free text (log lines, error
 * messages): the last guard for what reaches logs from messages the code does not control (drivers, the database).
 */
export const redactPersonalData = (text: string): string =>
  text.replace(IDNO_IN_TEXT, (id) => maskIdno(id)).replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));

/** The log destination: standard output, every line passed through `redactPersonalData`. */
export const redactedStdout = {
  write: (line: string): boolean => process.stdout.write(redactPersonalData(line)),
};
