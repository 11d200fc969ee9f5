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
        services.AddSingleton<MailConnector>();
        services.AddSingleton<IncomingTester>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<MailTestLimiter>();
        services.AddSingleton<MailChecker>();
        // A singleton that the host disposes when it stops, logging out of the connections it keeps.
        services.AddSingleton<MailConnectionPool>();
        services.AddSingleton<MailReader>();
        services.AddSingleton<Accounts.TestEvidence>();
        services.AddSingleton<Sending.OutgoingDelivery>();
        return services;
    }
}
