using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// The explicit error policy of the sending handlers, on the same schedule as a server's temporary refusals
/// (<c>Mail:SendRetryDelays</c>): Wolverine's default would dead-letter a delivery at its first exception and leave
/// the message Queued for ever.
/// </summary>
public sealed class SendingFailurePolicy(IReadOnlyList<TimeSpan> delays) : IHandlerPolicy
{
    // Wolverine refuses to start with more than 25 attempts; a longer configured schedule keeps its first 24 delays here.
    private readonly IReadOnlyList<TimeSpan> retries = [.. delays.Take(24)];

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            if (chain.MessageType == typeof(DeliverMail))
            {
                DeliverMailHandler.ConfigureFailures(chain, retries);
            }
            else if (chain.MessageType == typeof(FileSentCopy))
            {
                FileSentCopyHandler.ConfigureFailures(chain, retries);
            }
        }
    }
}
