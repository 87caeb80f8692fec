import { deliveryFailureDetail, deliveryFailureOf, mailError, MailRefusedError, MailServerUnavailableError } from './mailer';

const smtp = (responseCode: number, response: string, command = 'RCPT TO') =>
  Object.assign(new Error(`Can't send mail: ${response}`), { responseCode, response, command });
const TO = 'Lea.Durand@exemple.fr';

describe('why a message could not be sent, as the job records it and an admin is told it', () => {
  it('the address refused (5.1.x, 5.2.1, or a bare 550 to RCPT TO): not to be tried again until it changes', () => {
    for (const error of [
      smtp(550, '550 5.1.1 <lea.durand@exemple.fr>: Recipient address rejected: User unknown'),
      smtp(552, '552 5.2.1 Mailbox disabled'),
      smtp(550, '550 No such user here'),
    ]) {
      const failed = mailError(error, TO);
      expect(failed).toBeInstanceOf(MailRefusedError);
      expect((failed as MailRefusedError).addressRefused).toBe(true);
      expect(deliveryFailureOf(failed.message)).toBe('refused');
    }
  });

  it('refused for another reason (relay, policy, content): failed for good, but the server may change its mind', () => {
    for (const error of [smtp(554, '554 5.7.1 <lea.durand@exemple.fr>: Relay access denied'), smtp(554, '554 Transaction failed', 'DATA')]) {
      const failed = mailError(error, TO);
      expect((failed as MailRefusedError).addressRefused).toBe(false);
      expect(deliveryFailureOf(failed.message)).toBe('rejected');
    }
  });

  it('the server unavailable: 4xx, or the network', () => {
    const later = mailError(smtp(451, '451 4.7.1 Greylisted, try again later'), TO);
    expect(later).toBeInstanceOf(MailServerUnavailableError);
    expect(deliveryFailureOf(later.message)).toBe('unavailable');
    const down = mailError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }), TO);
    expect(deliveryFailureOf(down.message)).toBe('unavailable');
    expect(deliveryFailureOf(mailError(new Error('something else'), TO).message)).toBe('other');
  });

  it('never with the holder’s address, however the server spells it', () => {
    const failed = mailError(smtp(550, '550 5.1.1 <lea.durand@EXEMPLE.fr>: Recipient address rejected'), TO);
    expect(failed.message).toBe('refused by the mail server: 550 5.1.1 <…@…>: Recipient address rejected');
    expect(deliveryFailureDetail(failed.message)).toBe('550 5.1.1 <…@…>: Recipient address rejected');
    expect(mailError(new Error(`bad recipient ${TO}`), TO).message).toBe('bad recipient …@…');
  });
});
