using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Settings;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// <c>GET /Email/Events?account=…&amp;folder=…</c>: server-sent events for the folder a client tab shows,
/// <c>new-messages</c> and <c>counts-changed</c>, so that its script refreshes the list and the counts in place.
/// The account is found by the one access rule, as the list page finds it. 204 tells the browser not to reconnect
/// (nothing to watch: no incoming server, or POP3 checked by hand); 429 that the user watches enough folders already.
/// </summary>
public static class NewMailEvents
{
    public const string Path = "/Email/Events";

    /// <summary>A comment-like event now and then keeps proxies from closing a quiet stream, and finds a tab that left.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(25);

    public static void MapNewMailEvents(this IEndpointRouteBuilder app) => app.MapGet(Path, async (
        Guid account, string? folder, HttpContext http, IQuerySession session, FolderWatchers watchers, CancellationToken cancellationToken) =>
    {
        var user = http.User;
        var found = await AccountQueries.FindAsync(session, account, user.Actor(), AccountUse.Use, cancellationToken);
        if (found is null)
        {
            return Results.NotFound();
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, user.Id(), cancellationToken);
        var pop3 = found.Incoming?.Protocol == IncomingProtocol.Pop3;
        if (found.Incoming is null || (pop3 && settings.CheckIntervalMinutes == 0))
        {
            return Results.NoContent();
        }

        // POP3 is polled at the user's check interval; IMAP without IDLE every minute.
        var poll = TimeSpan.FromMinutes(pop3 ? settings.CheckIntervalMinutes : 1);
        var watch = watchers.Watch(user.Id(), found, pop3 ? "INBOX" : folder is { Length: > 0 } ? folder : "INBOX", poll);
        if (watch is null)
        {
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(Stream(watch, cancellationToken));
    });

    private static async IAsyncEnumerable<SseItem<string>> Stream(FolderWatch watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (watch)
        {
            // The script refreshes on "ready" after a reconnect: something may have changed while it was away.
            yield return new SseItem<string>("", "ready");
            while (!cancellationToken.IsCancellationRequested)
            {
                FolderChange? change;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    quiet.CancelAfter(KeepAlive);
                    try
                    {
                        change = await watch.Changes.ReadAsync(quiet.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        change = null;
                    }
                    catch (OperationCanceledException)
                    {
                        yield break;
                    }
                }

                yield return change switch
                {
                    FolderChange.NewMessages => new SseItem<string>("", "new-messages"),
                    FolderChange.CountsChanged => new SseItem<string>("", "counts-changed"),
                    _ => new SseItem<string>("", "ping"),
                };
            }
        }
    }
}
