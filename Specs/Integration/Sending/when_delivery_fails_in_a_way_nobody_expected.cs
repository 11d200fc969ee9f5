using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Sending;

[Collection(SendingCollection.Name)]
public sealed class when_delivery_fails_in_a_way_nobody_expected(ProductFixture product)
{
    [Fact]
    public async Task the_message_is_retried_and_then_waits_in_not_sent_instead_of_staying_queued()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var accountId = await product.AccountSendingAsAsync(user, sender, "Lost key");

        // The outgoing server's stored password no longer decrypts (a key ring that lost its key): the vault throws.
        var store = product.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var account = (await session.LoadAsync<Account>(accountId))!;
            var server = (await session.LoadAsync<OutgoingServer>(account.Outgoing!.ServerId!.Value))!;
            var secret = (await session.LoadAsync<ProtectedSecret>(server.PasswordSecretId!.Value))!;
            session.Store(secret with { Ciphertext = "CfDJ8" + new string('A', 80) });
            await session.SaveChangesAsync();
        }

        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={accountId}")).Html, "form.compose");
        form["Input.To"] = "boris@" + ProductFixture.MailDomain;
        form["Input.Subject"] = "Never decrypted";
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var mail = await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m?.Status == OutgoingMailStatus.NotSent, seconds: 60);
        mail!.Problem!.ShouldContain("CryptographicException");
        mail.Sending.ShouldBeFalse();
        (await user.Session.GetAsync("/Email/Outbox")).Dom.Has("#outbox-notsent tr[data-mail]").ShouldBeTrue();
        (await product.EventsOfAsync(accountId)).Select(e => e.Data).OfType<MailNotSent>().ShouldHaveSingleItem().Permanent.ShouldBeFalse();
    }
}
