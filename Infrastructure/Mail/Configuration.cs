using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Infrastructure.Mail;

public static class Configuration
{
    /// <summary>The mail side: network and certificate policies, the connector, testers and senders.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions();
        services.AddSingleton(options);
        services.AddSingleton(options.CreateCertificatePolicy());
        services.AddSingleton<MailNetworkPolicy>();
        services.AddSingleton<MailResolver>();
        services.AddSingleton<MailConnector>();
        services.AddSingleton<IncomingTester>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<MailTestLimiter>();
        services.AddSingleton<MailSendLimiter>();
        services.AddSingleton<MailReadLimiter>();
        services.AddSingleton(configuration.GetSection(Outgoing.OutgoingOptions.Section).Get<Outgoing.OutgoingOptions>() ?? new Outgoing.OutgoingOptions());
        services.AddSingleton<Outgoing.SenderDomainPolicy>();
        services.AddSingleton<MailChecker>();
        // A singleton that the host disposes when it stops, logging out of the connections it keeps.
        services.AddSingleton<MailConnectionPool>();
        services.AddSingleton<Mailboxes.MailSessions>();
        services.AddSingleton<Mailboxes.MailClient>();
        services.AddSingleton<Search.LiveSearch>();
        // Stopped before the pool (registered after it): the host disposes singletons in reverse order.
        services.AddSingleton<FolderWatchers>();
        services.AddSingleton<Accounts.TestEvidence>();
        services.AddSingleton(configuration.GetSection(Discovery.DiscoveryOptions.Section).Get<Discovery.DiscoveryOptions>() ?? new Discovery.DiscoveryOptions());
        services.AddSingleton<Discovery.AutoconfigFetcher>();
        services.AddSingleton<Discovery.MailDiscovery>();
        services.AddSingleton<Sending.OutgoingDelivery>();
        // Where the compose form's address suggestions come from, in this order. The people the user writes to come first:
        // the organisation's contacts are many, and a short prefix would otherwise fill the list with them and hide the
        // colleague the user writes to every day.
        services.AddSingleton<Sending.IAddressSource, Sending.WrittenToAddresses>();
        // The contacts next: kept by people, with the names they chose, above anyone who merely wrote to the user.
        services.AddSingleton<Sending.IAddressSource, Sending.ContactAddresses>();
        // Last: someone the user wrote to, or a contact, ranks above someone who only wrote to the user.
        services.AddSingleton<Sending.IAddressSource, Sending.ReceivedFromAddresses>();
        services.AddSingleton<Sending.ReceivedFromLearner>();
        services.AddHostedService(provider => provider.GetRequiredService<Sending.ReceivedFromLearner>());
        services.AddSingleton<Sending.AddressSuggestions>();
        // What a check reads after it has counted: the bounces of the system's mail among the new messages.
        Verification.VerificationServices.AddVerification(services, configuration);
        return services;
    }
}
