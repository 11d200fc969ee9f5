using System.Net;
using Marten;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Wolverine;

namespace MailAccounts.Specs.Integration.SignInProviders;

/// <summary>
/// An account that signs in with the private authorization server instead of a password, against the private Dovecot
/// and Postfix, which check its tokens by introspection: the client lists, tests and sends with XOAUTH2; an expired token
/// is renewed (the refresh token rotates); a revoked grant makes the account need reconnecting, once, and checks and
/// sends wait for Reconnect.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_an_account_signs_in_with_a_provider(ProductFixture product)
{
    [Fact]
    public async Task the_inbox_lists_the_tests_pass_and_mail_is_sent_and_arrives_without_a_password()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        await product.DeliverAsync(oauth.Mailbox, [Message("Hello through a token")]);

        var events = (await product.EventsOfAsync(oauth.AccountId)).Select(e => e.Data).ToList();
        events.OfType<AccountAuthorised>().ShouldHaveSingleItem().Mailbox.ShouldBe(oauth.Mailbox.Address);
        events.OfType<CredentialsChanged>().ShouldBeEmpty("no password was ever stored for it");
        (await product.AccountAsync(oauth.AccountId)).Incoming!.Login.ShouldBe(oauth.Mailbox.Address);

        var inbox = await user.Session.GetAsync($"/Email?account={oauth.AccountId}");
        inbox.Status.ShouldBe(HttpStatusCode.OK);
        inbox.Html.ShouldContain("Hello through a token");

        var account = await product.AccountAsync(oauth.AccountId);
        var form = new AccountForm(account.Title, account.Name, account.Address, account.Incoming!.Protocol, account.Incoming.Host, account.Incoming.Port,
            account.Incoming.Security, account.Incoming.Login);
        var tested = await InvokeAsync<AccountTestOutcome>(new TestIncomingSettings(new Actor(oauth.UserId, false), oauth.AccountId, form, null, []));
        tested.Report.ShouldNotBeNull().Succeeded.ShouldBeTrue(tested.Report.Failure?.Detail);

        var recipient = await product.NewMailboxAsync();
        await SendAsync(oauth, recipient, "Sent with a token");
        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Sent with a token"));
        arrived.From.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(oauth.Mailbox.Address);
    }

    [Fact]
    public async Task a_token_the_server_no_longer_takes_is_renewed_and_the_old_refresh_token_is_dead()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        var before = await product.StoredTokensAsync(oauth.AccountId);

        // The provider's time passes the access token's life; the product's clock has not seen it expire.
        product.AuthorizationClock.Advance(ProductFixture.AccessTokenLifetime + TimeSpan.FromSeconds(5));
        var inbox = await user.Session.GetAsync($"/Email?account={oauth.AccountId}");

        inbox.Status.ShouldBe(HttpStatusCode.OK);
        inbox.Dom.All("[data-needs-reconnecting]").ShouldBeEmpty();
        var after = await product.StoredTokensAsync(oauth.AccountId);
        after.AccessToken.ShouldNotBe(before.AccessToken, "a new access token was issued");
        after.RefreshToken.ShouldNotBe(before.RefreshToken, "the refresh token rotated, and the new one replaced it in the vault");
        (await product.AccountAsync(oauth.AccountId)).NeedsReconnecting.ShouldBeFalse();

        using var refused = await OAuthGrants.RefreshAsync(product.MailServer.AuthorizationServer, oauth.Client, before.RefreshToken!);
        (await OAuthGrants.ErrorOfAsync(refused)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task a_test_email_whose_token_the_server_no_longer_takes_renews_it_and_is_sent()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        var before = await product.StoredTokensAsync(oauth.AccountId);
        // Revoked early (the provider's own doing, before its expiry): the product still holds it as good.
        await OAuthGrants.RevokeAsync(product.MailServer.AuthorizationServer, oauth.Client, before.AccessToken);
        var recipient = await product.NewMailboxAsync();
        var account = await product.AccountAsync(oauth.AccountId);
        var form = new AccountForm(account.Title, account.Name, account.Address, account.Incoming!.Protocol, account.Incoming.Host, account.Incoming.Port,
            account.Incoming.Security, account.Incoming.Login, OutgoingName: account.Name, OutgoingAddress: account.Address, OutgoingServerId: account.Outgoing!.ServerId);

        var tested = await InvokeAsync<AccountTestOutcome>(new SendTestEmail(new Actor(oauth.UserId, false), oauth.AccountId, form, null, [], recipient.Address,
            new TestEmailWording("Test e-mail with a renewed token", "Sent by the specs.", "{0}")));

        tested.Report.ShouldNotBeNull().Succeeded.ShouldBeTrue(tested.Report.Failure?.Detail);
        (await product.StoredTokensAsync(oauth.AccountId)).AccessToken.ShouldNotBe(before.AccessToken);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Test e-mail with a renewed token"));
    }

    [Fact]
    public async Task a_token_near_its_end_is_renewed_before_it_expires_once_however_many_ask_at_once()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        var before = await product.StoredTokensAsync(oauth.AccountId);
        var clock = new MovableClock();
        clock.Advance(ProductFixture.AccessTokenLifetime * 0.8);
        var tokens = new AccountTokens(
            product.Services.GetRequiredService<IDocumentStore>(), product.Services.GetRequiredService<SecretVault>(),
            new TokenEndpoint(product.Services.GetRequiredService<IHttpClientFactory>(), clock), clock, NullLogger<AccountTokens>.Instance);
        var account = await product.AccountAsync(oauth.AccountId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => tokens.ForAsync(account, CancellationToken.None)));

        answers.ShouldAllBe(a => a.Token != null && !a.NeedsReconnecting);
        answers.Select(a => a.Token).Distinct().ShouldHaveSingleItem().ShouldNotBe(before.AccessToken);
        // Had two of them redeemed the refresh token, the second would have been refused and the grant ended with it.
        (await product.AccountAsync(oauth.AccountId)).NeedsReconnecting.ShouldBeFalse();
        using var imap = new ImapClient { ServerCertificateValidationCallback = product.Services.GetRequiredService<CertificatePolicy>().Validate };
        await imap.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Imaps, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(new SaslMechanismOAuth2(oauth.Mailbox.Address, answers[0].Token!));
        imap.IsAuthenticated.ShouldBeTrue();
    }

    [Fact]
    public async Task a_revoked_grant_needs_reconnecting_once_checks_and_sends_wait_and_reconnect_sends_what_waited()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        await product.MailServer.AuthorizationServer.RevokeGrantsAsync(oauth.Mailbox.Address);

        var first = await user.Session.GetAsync($"/Email?account={oauth.AccountId}");
        var second = await user.Session.GetAsync($"/Email?account={oauth.AccountId}");

        first.Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']").TextContent.ShouldContain("can no longer sign in");
        second.Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");
        var lost = (await product.EventsOfAsync(oauth.AccountId)).Select(e => e.Data).OfType<AuthorisationLost>().ShouldHaveSingleItem();
        lost.Reason.ShouldContain("invalid_grant");
        var account = await product.AccountAsync(oauth.AccountId);
        account.NeedsReconnecting.ShouldBeTrue();

        await using (var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var checkedAccounts = await product.Services.GetRequiredService<MailChecker>().CheckAsync(session, oauth.UserId, DateTimeOffset.UtcNow, CancellationToken.None);
            checkedAccounts.ShouldNotContain(c => c.Id == oauth.AccountId, "a check waits for the account to be reconnected");
        }

        var recipient = await product.NewMailboxAsync();
        var mailId = await SendAsync(oauth, recipient, "Waited for reconnecting");
        var held = await product.WaitForOutgoingAsync(mailId, m => m is { ProblemKey: "Outbox.WaitingForReconnect" });
        held!.Status.ShouldBe(OutgoingMailStatus.Queued);
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await product.WaitForOutgoingAsync(mailId, m => m is not null))!.Status.ShouldBe(OutgoingMailStatus.Queued, "it waits, and does not use up its attempts");

        var tokens = await OAuthGrants.ObtainAsync(product.MailServer.AuthorizationServer, oauth.Client, oauth.Mailbox);
        var secret = await product.StoreTokensAsync(oauth.UserId, tokens);
        await product.InvokeAsync(new ReconnectAccount(new Actor(oauth.UserId, false), oauth.AccountId,
            new OAuthGrant(oauth.ProviderId, oauth.Mailbox.Address, tokens.Scope, secret)));

        (await product.AccountAsync(oauth.AccountId)).NeedsReconnecting.ShouldBeFalse();
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Waited for reconnecting"));
        (await user.Session.GetAsync($"/Email?account={oauth.AccountId}")).Dom.All("[data-needs-reconnecting]").ShouldBeEmpty();
    }

    [Fact]
    public async Task reconnecting_as_another_mailbox_or_with_someone_elses_tokens_is_refused()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        var other = await product.NewMailboxAsync();
        var othersTokens = await OAuthGrants.ObtainAsync(product.MailServer.AuthorizationServer, oauth.Client, other);
        var mine = await product.StoreTokensAsync(oauth.UserId, othersTokens);
        var actor = new Actor(oauth.UserId, false);

        var asAnother = await InvokeAsync<MailAccounts.Infrastructure.Common.Outcome>(new ReconnectAccount(actor, oauth.AccountId,
            new OAuthGrant(oauth.ProviderId, other.Address, othersTokens.Scope, mine)));
        asAnother.Violations.ShouldHaveSingleItem().Code.ShouldBe(AccountViolations.ReconnectedAsAnother);

        var stranger = await product.NewUserAsync();
        var strangersTokens = await product.StoreTokensAsync(await product.UserIdAsync(stranger.Login), othersTokens);
        var withTheirs = await InvokeAsync<MailAccounts.Infrastructure.Common.Outcome>(new ReconnectAccount(actor, oauth.AccountId,
            new OAuthGrant(oauth.ProviderId, oauth.Mailbox.Address, othersTokens.Scope, strangersTokens)));
        withTheirs.Violations.ShouldHaveSingleItem().Code.ShouldBe(AccountViolations.Unknown);
        (await product.EventsOfAsync(oauth.AccountId)).Select(e => e.Data).OfType<AccountReconnected>().ShouldBeEmpty();
        stranger.Dispose();
    }

    private async Task<Guid> SendAsync(OAuthAccount oauth, Mailbox recipient, string subject)
    {
        var form = Form.Of((await oauth.User.Session.GetAsync($"/Email/Compose?account={oauth.AccountId}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = subject;
        (await oauth.User.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
        return Composing.MailIdOf(form);
    }

    private async Task<T> InvokeAsync<T>(object command)
    {
        await using var scope = product.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<T>(command);
    }

    private static MimeMessage Message(string subject) => new()
    {
        From = { MailboxAddress.Parse("stranger@elsewhere.invalid") },
        Subject = subject,
        Body = new TextPart("plain") { Text = "Read with a token." },
    };
}
