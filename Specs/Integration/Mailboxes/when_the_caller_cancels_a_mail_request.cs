using System.Globalization;
using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Integration.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Mailboxes;

/// <summary>
/// A request the caller abandons (the browser went away, the host stops) is not a server problem: the cancellation is
/// rethrown, and no failed stage or failed mailbox check is recorded against the account. The server here takes the
/// connection and the TLS handshake and then never answers the sign-in; the caller cancels while it waits, well before
/// the product's own timeout would call the server silent.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_caller_cancels_a_mail_request(ProductFixture product)
{
    private static async Task CancelOnceStalledAsync(StallingProxy proxy, CancellationTokenSource cancel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (proxy.Stalled == 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the proxy to swallow a sign-in");
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
    }

    [Fact]
    public async Task a_connection_test_cancelled_during_the_sign_in_is_rethrown_and_reports_no_failed_stage()
    {
        var mailbox = await product.NewMailboxAsync();
        await using var proxy = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort()) { Stalling = true };
        var request = new IncomingRequest(IncomingProtocol.Imap,
            new ServerEndpoint(product.MailServer.Endpoints.Host, proxy.Port, TransportSecurity.SslOnConnect), mailbox.Address, mailbox.Password, []);
        using var cancel = new CancellationTokenSource();

        var test = product.Services.GetRequiredService<IncomingTester>().TestAsync(request, cancel.Token);
        await CancelOnceStalledAsync(proxy, cancel);

        await Should.ThrowAsync<OperationCanceledException>(test);
    }

    [Fact]
    public async Task a_mail_check_cancelled_during_the_sign_in_records_no_failed_status()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        await using var proxy = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort());
        var form = AccountForms.For(product, mailbox, title: "Cancelled check").With("Input.Port", proxy.Port.ToString(CultureInfo.InvariantCulture));
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var userId = await product.UserIdAsync(user.Login);
        proxy.Stalling = true;
        using var cancel = new CancellationTokenSource();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();

        var check = product.Services.GetRequiredService<MailChecker>().CheckAsync(session, userId, DateTimeOffset.UtcNow, cancel.Token);
        await CancelOnceStalledAsync(proxy, cancel);

        await Should.ThrowAsync<OperationCanceledException>(check);
        session.PendingChanges.OperationsFor<MailboxStatus>().ShouldBeEmpty();
    }
}
