using System.Net;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.MailServers;

/// <summary>
/// The private authorization server and the private Dovecot and Postfix together, as a provider with OAuth is: a token
/// obtained through the code flow with PKCE (driven over HTTP as a browser and a client would) signs the mailbox in to IMAP,
/// POP3 and SMTP submission with SASL XOAUTH2, and only while the authorization server says it is active.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_mailbox_signs_in_with_an_oauth_token(ProductFixture product)
{
    private PrivateAuthorizationServer Server => product.MailServer.AuthorizationServer;

    private MailServerEndpoints Endpoints => product.MailServer.Endpoints;

    private CertificatePolicy ProductPolicy => product.Services.GetRequiredService<CertificatePolicy>();

    [Fact]
    public async Task an_access_token_signs_in_to_imap_and_pop3_and_sends_through_postfix()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var tokens = await OAuthGrants.ObtainAsync(Server, client, sender);

        tokens.Scope.Split(' ').ShouldBe(OAuthGrants.Scopes.Split(' '), ignoreOrder: true);
        tokens.RefreshToken.ShouldNotBeNullOrEmpty();
        tokens.ExpiresIn.ShouldBeInRange(55, 60);
        (await ImapSignInAsync(sender.Address, tokens.AccessToken)).ShouldBeNull();
        (await Pop3SignInAsync(sender.Address, tokens.AccessToken)).ShouldBeNull();

        var subject = "Sent with a token " + Guid.NewGuid();
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Без пароля" } };
        message.From.Add(MailboxAddress.Parse(sender.Address));
        message.To.Add(MailboxAddress.Parse(recipient.Address));
        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = ProductPolicy.Validate })
        {
            await smtp.ConnectAsync(Endpoints.Host, Endpoints.Smtp, SecureSocketOptions.StartTls);
            smtp.AuthenticationMechanisms.ShouldContain("XOAUTH2");
            await smtp.AuthenticateAsync(new SaslMechanismOAuth2(sender.Address, tokens.AccessToken));
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains(subject));
        arrived.From.Mailboxes.Single().Address.ShouldBe(sender.Address);
    }

    [Fact]
    public async Task a_made_up_token_or_another_mailboxs_token_is_refused_by_imap_and_smtp()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var owner = await product.NewMailboxAsync();
        var other = await product.NewMailboxAsync();
        var tokens = await OAuthGrants.ObtainAsync(Server, client, owner);

        (await ImapSignInAsync(owner.Address, "made-up-" + Guid.NewGuid().ToString("N"))).ShouldBeOfType<AuthenticationException>();
        (await ImapSignInAsync(other.Address, tokens.AccessToken)).ShouldBeOfType<AuthenticationException>();
        (await SmtpSignInAsync(other.Address, tokens.AccessToken)).ShouldBeOfType<AuthenticationException>();
        // The password of the mailbox is no token, nor the token a password.
        (await ImapSignInAsync(owner.Address, owner.Password)).ShouldBeOfType<AuthenticationException>();
        (await ImapPasswordSignInAsync(owner.Address, tokens.AccessToken)).ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task an_expired_token_is_refused_and_the_refresh_token_rotates()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var mailbox = await product.NewMailboxAsync();
        var first = await OAuthGrants.ObtainAsync(Server, client, mailbox);

        product.AuthorizationClock.Advance(ProductFixture.AccessTokenLifetime + TimeSpan.FromSeconds(1));

        (await ImapSignInAsync(mailbox.Address, first.AccessToken)).ShouldBeOfType<AuthenticationException>();
        (await SmtpSignInAsync(mailbox.Address, first.AccessToken)).ShouldBeOfType<AuthenticationException>();

        using var refreshed = await OAuthGrants.RefreshAsync(Server, client, first.RefreshToken!);
        var second = await OAuthGrants.TokensFromAsync(refreshed);
        second.AccessToken.ShouldNotBe(first.AccessToken);
        second.RefreshToken.ShouldNotBeNullOrEmpty();
        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        (await ImapSignInAsync(mailbox.Address, second.AccessToken)).ShouldBeNull();

        // The redeemed refresh token is refused at once; its reuse ends the whole grant, the new tokens with it.
        using var reused = await OAuthGrants.RefreshAsync(Server, client, first.RefreshToken!);
        (await OAuthGrants.ErrorOfAsync(reused)).ShouldBe("invalid_grant");
        (await ImapSignInAsync(mailbox.Address, second.AccessToken)).ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task a_revoked_token_or_grant_is_refused_at_once()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var mailbox = await product.NewMailboxAsync();
        var revoked = await OAuthGrants.ObtainAsync(Server, client, mailbox);
        var ended = await OAuthGrants.ObtainAsync(Server, client, mailbox);
        (await ImapSignInAsync(mailbox.Address, revoked.AccessToken)).ShouldBeNull();

        await OAuthGrants.RevokeAsync(Server, client, revoked.AccessToken);

        (await ImapSignInAsync(mailbox.Address, revoked.AccessToken)).ShouldBeOfType<AuthenticationException>();
        (await ImapSignInAsync(mailbox.Address, ended.AccessToken)).ShouldBeNull();

        await Server.RevokeGrantsAsync(mailbox.Address);

        (await ImapSignInAsync(mailbox.Address, ended.AccessToken)).ShouldBeOfType<AuthenticationException>();
        using var refresh = await OAuthGrants.RefreshAsync(Server, client, ended.RefreshToken!);
        (await OAuthGrants.ErrorOfAsync(refresh)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task a_code_is_given_only_with_a_pkce_challenge_and_redeemed_only_with_its_verifier()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var mailbox = await product.NewMailboxAsync();

        using var http = OAuthGrants.Browserless();
        var withoutChallenge = await OAuthGrants.ConsentPageAsync(http, Server, OAuthGrants.AuthorizationRequest(client, "s1", challenge: null));
        withoutChallenge.Status.ShouldBe(HttpStatusCode.BadRequest, withoutChallenge.Html);
        // Refused on the provider's own page, which says why; the client is not sent a code.
        withoutChallenge.Html.ShouldContain("invalid_request");
        withoutChallenge.Html.ShouldContain("code_challenge");
        withoutChallenge.Location.ShouldBeNull();

        var verifier = OAuthGrants.NewVerifier();
        var code = await OAuthGrants.AuthorizeAsync(Server, client, mailbox, verifier);
        using (var noVerifier = await OAuthGrants.RedeemAsync(Server, client, code, verifier: null))
        {
            (await OAuthGrants.ErrorOfAsync(noVerifier)).ShouldBe("invalid_request");
        }

        using (var wrongVerifier = await OAuthGrants.RedeemAsync(Server, client, code, OAuthGrants.NewVerifier()))
        {
            (await OAuthGrants.ErrorOfAsync(wrongVerifier)).ShouldBe("invalid_grant");
        }

        // The one who holds the verifier redeems it, once.
        using (var right = await OAuthGrants.RedeemAsync(Server, client, code, verifier))
        {
            (await OAuthGrants.TokensFromAsync(right)).AccessToken.ShouldNotBeNullOrEmpty();
        }

        using var again = await OAuthGrants.RedeemAsync(Server, client, code, verifier);
        (await OAuthGrants.ErrorOfAsync(again)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task the_consent_page_refuses_a_wrong_password_and_deny_sends_the_user_back_without_a_code()
    {
        var client = await OAuthGrants.RegisterClientAsync(Server);
        var mailbox = await product.NewMailboxAsync();
        using var http = OAuthGrants.Browserless();
        var page = await OAuthGrants.ConsentPageAsync(http, Server,
            OAuthGrants.AuthorizationRequest(client, "s2", OAuthGrants.Challenge(OAuthGrants.NewVerifier())));
        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Html.ShouldContain("MailAccounts specs");

        using (var wrong = await OAuthGrants.AnswerAsync(http, Server, page, mailbox.Address, "not-" + mailbox.Password, "allow"))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
            var again = await wrong.Content.ReadAsStringAsync();
            again.ShouldContain("The address or the password is wrong.");
            again.ShouldNotContain(mailbox.Password);
        }

        using var denied = await OAuthGrants.AnswerAsync(http, Server, page, mailbox.Address, "", "deny");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var answer = OAuthGrants.QueryOf(denied.Headers.Location!, client.RedirectUri);
        answer["error"].ShouldBe("access_denied");
        answer.ShouldNotContainKey("code");
    }

    /// <summary>Null when IMAP over TLS accepted the token (and the inbox opens), otherwise what MailKit threw.</summary>
    private async Task<Exception?> ImapSignInAsync(string address, string token)
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = ProductPolicy.Validate };
        await imap.ConnectAsync(Endpoints.Host, Endpoints.Imaps, SecureSocketOptions.SslOnConnect);
        imap.AuthenticationMechanisms.ShouldContain("XOAUTH2");
        try
        {
            await imap.AuthenticateAsync(new SaslMechanismOAuth2(address, token));
        }
        catch (AuthenticationException e)
        {
            return e;
        }

        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await imap.DisconnectAsync(true);
        return null;
    }

    private async Task<Exception?> ImapPasswordSignInAsync(string address, string password)
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = ProductPolicy.Validate };
        await imap.ConnectAsync(Endpoints.Host, Endpoints.Imaps, SecureSocketOptions.SslOnConnect);
        return await Should.ThrowAsync<AuthenticationException>(() => imap.AuthenticateAsync(address, password));
    }

    private async Task<Exception?> Pop3SignInAsync(string address, string token)
    {
        using var pop3 = new Pop3Client { ServerCertificateValidationCallback = ProductPolicy.Validate };
        await pop3.ConnectAsync(Endpoints.Host, Endpoints.Pop3s, SecureSocketOptions.SslOnConnect);
        try
        {
            await pop3.AuthenticateAsync(new SaslMechanismOAuth2(address, token));
        }
        catch (AuthenticationException e)
        {
            return e;
        }

        await pop3.DisconnectAsync(true);
        return null;
    }

    private async Task<Exception?> SmtpSignInAsync(string address, string token)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = ProductPolicy.Validate };
        await smtp.ConnectAsync(Endpoints.Host, Endpoints.Smtp, SecureSocketOptions.StartTls);
        try
        {
            await smtp.AuthenticateAsync(new SaslMechanismOAuth2(address, token));
        }
        catch (AuthenticationException e)
        {
            return e;
        }

        await smtp.DisconnectAsync(true);
        return null;
    }
}
