using System.Globalization;
using System.Net;
using Marten;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Integration.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Settings;

/// <summary>
/// Check mail waits on the durable queue, not in the request: the page answers at once, saying the check is under
/// way, and the check signs in to the servers with no transaction of the request open, recording what it found.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_check_mail_is_pressed(ProductFixture product)
{
    [Fact]
    public async Task the_page_answers_before_the_servers_do_and_the_check_records_what_it_found_later()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await using var imap = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort()) { Stalling = true };
        var form = AccountForms.For(product, mailbox).With("Input.Port", imap.Port.ToString(CultureInfo.InvariantCulture));
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var userId = await product.UserIdAsync(user.Login);

        var pressed = await user.Session.SubmitAsync("/Email/Settings/Accounts", [], handler: "CheckMail");

        // The server swallows the sign-in until the timeout: a check made inside the request would have recorded its
        // failure before the page answered.
        pressed.Status.ShouldBe(HttpStatusCode.Redirect);
        (await MailChecks.StatusesAsync(product, userId)).ShouldBeEmpty();
        var status = await MailChecks.WaitForStatusAsync(product, userId);
        status.Succeeded.ShouldBeFalse();
        imap.Stalled.ShouldBeGreaterThan(0);
    }
}

/// <summary>What the checks of a user's accounts recorded.</summary>
internal static class MailChecks
{
    public static async Task<IReadOnlyList<MailboxStatus>> StatusesAsync(ProductFixture product, Guid userId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<MailboxStatus>().Where(s => s.UserId == userId).ToListAsync();
    }

    /// <summary>The status of the user's one account, once a check (queued by Check mail) has recorded it.</summary>
    public static async Task<MailboxStatus> WaitForStatusAsync(ProductFixture product, Guid userId, int seconds = 30)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if ((await StatusesAsync(product, userId)).SingleOrDefault() is { } status)
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No check of user {userId}'s accounts was recorded within {seconds} seconds.");
    }
}
