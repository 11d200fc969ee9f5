using Marten;

namespace MailAccounts.Infrastructure.Sending;

public static class Configuration
{
    public static StoreOptions ConfigureSending(this StoreOptions options)
    {
        // A double-clicked Send, two tabs, or one attempt delivered twice: the second writer of the same version loses,
        // so a message is queued once and each attempt is claimed once before any SMTP server hears of it.
        options.Schema.For<OutgoingMail>().Index(m => m.UserId).UseOptimisticConcurrency(true);
        options.Schema.For<SentMail>().Index(m => m.MessageId).GinIndexJsonData();
        options.Schema.For<Correspondent>().Index(c => c.UserId);
        options.Schema.For<ReceivedFrom>().Index(r => r.UserId);
        return options;
    }
}
