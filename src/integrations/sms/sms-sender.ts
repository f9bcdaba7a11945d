/** Delivers one verification code by SMS. Implementations must not log the code outside development. */
export abstract class SmsSender {
  abstract sendCode(phone: string, code: string): Promise<void>;
}
