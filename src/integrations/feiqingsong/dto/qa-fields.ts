/** Django's username rule: letters, digits and @ . + - _, at most 150 characters. */
export const QA_USERNAME = /^[\w.@+-]{1,150}$/;
export const QA_USERNAME_MESSAGE = '用户名须为 1 到 150 个字母、数字或 @.+-_';

/** 肺轻松 order numbers are digits (26 in the partner's examples). */
export const QA_ORDER_NUMBER = /^\d{16,32}$/;
