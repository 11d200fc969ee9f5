using JasperFx.CommandLine;
using Marten;
using MailAccounts.Infrastructure.Diagnostics;

namespace MailAccounts.WebHost.Diagnostics;

/// <summary>
/// <c>dotnet run --project WebHost -- projections-check</c>: the consistency check of the Diagnostics page, for a
/// shell. Exits non-zero when a stored document differs from what its stream says.
/// </summary>
[Description("Replay every stream into a fresh copy of each projected view and report stored documents that differ", Name = "projections-check")]
public sealed class ProjectionsCheckCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.HostBuilder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var divergences = await ConsistencyCheck.RunAsync(store, new Progress<string>(line => Console.WriteLine("checking " + line)), CancellationToken.None);
        foreach (var divergence in divergences)
        {
            Console.WriteLine($"{divergence.View} {divergence.StreamId}: differs from event {divergence.FirstDivergingVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(document missing)"} on");
            Console.WriteLine("  stored:   " + divergence.Stored);
            Console.WriteLine("  replayed: " + divergence.Replayed);
        }

        Console.WriteLine(divergences.Count == 0 ? "Every projected document matches its events." : $"{divergences.Count} document(s) differ from their events.");
        return divergences.Count == 0;
    }
}
