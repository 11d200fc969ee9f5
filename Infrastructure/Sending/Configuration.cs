using Marten;

namespace MailAccounts.Infrastructure.Sending;

public static class Configuration
{
    public static StoreOptions ConfigureSending(this StoreOptions options)
    {
        options.Schema.For<OutgoingMail>().Index(m => m.UserId);
        return options;
    }
}
