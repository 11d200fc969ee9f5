using System.Net;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>
/// A password (and an OAuth token pair) goes through every path the product has: tested, saved, changed, used for a send that fails.
/// Afterwards no table of the database (events, documents, Wolverine's envelopes and dead letters) and no
/// log line holds it, in clear, in base64 (as SASL sends it) or as the hex of its bytes; and the key ring the database
/// holds beside the ciphertexts decrypts none of them without the certificate configured outside it.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_scanning_for_leaked_passwords(ProductFixture product)
{
    [Fact]
    public async Task no_table_and_no_log_line_holds_a_password()
    {
        var mailbox = await product.NewMailboxAsync();
        var first = "First-" + Guid.NewGuid().ToString("N");
        var second = "Second-" + Guid.NewGuid().ToString("N");
        await product.MailServer.SetMailboxAsync(mailbox.Address, first);
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var form = AccountForms.SendingAs(product, mailbox with { Password = first }, title: "Leak check");
        ConnectionReport.In((await user.Session.SubmitAsync(AccountForms.AddPage, form, "Test")).Html).Passed.ShouldBeTrue();
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var edit = AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html);
        await product.MailServer.SetMailboxAsync(mailbox.Address, second);
        var editPage = await user.Session.GetAsync(edit);
        var version = AccountForms.FormIn(editPage.Html)["Input.Version"];
        var serverId = AccountForms.FormIn(editPage.Html)["Input.OutgoingServer"];
        var saved = AccountForms.For(product, mailbox with { Password = second }, title: "Leak check")
            .With("Input.Name", form["Input.Name"]).With("Input.OutgoingServer", serverId).With("Input.Version", version);
        (await user.Session.SubmitAsync(edit, saved)).Status.ShouldBe(HttpStatusCode.Redirect);
        ConnectionReport.In((await user.Session.SubmitAsync(edit, saved.With("Input.Password", ""), "Test")).Html).Passed.ShouldBeTrue();

        // The saved outgoing server still has the first password, which the mail server no longer takes.
        var failed = await user.Session.SubmitAsync(edit, saved.With("Input.Password", "").With("Input.TestRecipient", recipient.Address), "SendTest");
        ConnectionReport.In(failed.Html).Failed.Stage.ShouldBe("Authentication");

        // The account's mailbox as a contact: its pages (list, contact, form, History, import preview) show its address, never its password.
        var contact = await user.Session.AddContactAsync("Leak check", "", mailbox.Address);
        var csv = System.Text.Encoding.UTF8.GetBytes($"Name,Email\nLeak check,{mailbox.Address}\n");
        var importForm = Form.Of((await user.Session.GetAsync("/Contacts/Import")).Html, "form.import-upload", "/Contacts/Import");
        var contactPages = new List<string>
        {
            (await user.Session.GetAsync("/Contacts")).Html,
            (await user.Session.GetAsync($"/Contacts/Contact?id={contact}")).Html,
            (await user.Session.GetAsync($"/Contacts/Edit?id={contact}")).Html,
            (await user.Session.GetAsync($"/Contacts/History?id={contact}")).Html,
            (await user.Session.PostAsync(importForm, files: [("file", "leak.csv", "text/csv", csv)])).Html,
        };
        contactPages.ShouldAllBe(html => html.Contains(mailbox.Address, StringComparison.Ordinal));

        foreach (var password in new[] { first, second })
        {
            var needles = Needles(mailbox.Address, password);
            (await TablesHoldingAsync(needles)).ShouldBeEmpty($"the database holds {password}");
            product.Logs.Lines.Where(line => needles.Any(line.Contains)).ShouldBeEmpty();
            failed.Html.ShouldNotContain(password);
            contactPages.Where(html => needles.Any(html.Contains)).ShouldBeEmpty();
        }

        await NothingInTheDatabaseDecryptsWithoutTheCertificateAsync();
    }

    [Fact]
    public async Task no_table_log_line_or_page_holds_a_sign_in_providers_client_secret()
    {
        using var admin = await product.AdministratorAsync();
        var name = "Scanned provider " + Guid.NewGuid().ToString("N")[..6];
        var first = "ClientSecret-" + Guid.NewGuid().ToString("N");
        var second = "ClientSecret-" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string>
        {
            ["Input.Kind"] = "Generic",
            ["Input.Name"] = name,
            ["Input.ClientId"] = "scanned-client",
            ["Input.ClientSecret"] = first,
            ["Input.AuthorizationEndpoint"] = "https://sso.example.com/auth",
            ["Input.TokenEndpoint"] = "https://sso.example.com/token",
            ["Input.Scopes"] = "openid email",
        };
        (await admin.SubmitAsync("/Admin/SignInProviders/Edit", form)).Status.ShouldBe(HttpStatusCode.Redirect);
        Guid id;
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            id = (await session.Query<MailAccounts.Domain.SignInProviders.SignInProvider>().SingleAsync(p => p.Name == name)).Id;
        }

        // Refused with a new secret typed (a bad endpoint): nothing of it may be kept.
        (await admin.SubmitAsync($"/Admin/SignInProviders/Edit/{id}", form.With("Input.ClientSecret", second).With("Input.TokenEndpoint", "ftp://x"))).Status
            .ShouldBe(HttpStatusCode.OK);
        (await admin.SubmitAsync($"/Admin/SignInProviders/Edit/{id}", form.With("Input.ClientSecret", second))).Status.ShouldBe(HttpStatusCode.Redirect);
        var pages = new[]
        {
            (await admin.GetAsync("/Admin/SignInProviders")).Html,
            (await admin.GetAsync($"/Admin/SignInProviders/Edit/{id}")).Html,
            (await admin.GetAsync($"/Admin/SignInProviders/History/{id}")).Html,
            await (await admin.GetResponseAsync($"/Admin/SignInProviders/History/{id}?handler=Export&format=json")).Content.ReadAsStringAsync(),
        };

        foreach (var secret in new[] { first, second })
        {
            var needles = Needles("scanned-client", secret);
            (await TablesHoldingAsync(needles)).ShouldBeEmpty($"the database holds {secret}");
            product.Logs.Lines.Where(line => needles.Any(line.Contains)).ShouldBeEmpty();
            pages.Where(html => needles.Any(html.Contains)).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task no_table_log_line_or_page_holds_an_access_or_refresh_token()
    {
        var (_, providerId) = await product.RegisterProviderAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var endpoints = product.MailServer.Endpoints;
        var typed = new Dictionary<string, string>(product.TypedBeforeSignIn("Token scan", mailbox.Address))
        {
            ["Input.OutgoingServer"] = "new",
            ["Input.NewServerHost"] = endpoints.Host,
            ["Input.NewServerPort"] = endpoints.Smtp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.NewServerSecurity"] = "StartTls",
            ["Input.NewServerUseAuthentication"] = "true",
        };
        var pages = new List<string>();
        var form = await user.BackFromSignInAsync(await product.ConsentAsync(await user.StartSignInAsync(AccountForms.AddPage, providerId, typed), mailbox, "allow"));
        pages.Add(form.Html);
        var tested = await user.Session.PostAsync(Form.Of(form.Html, "form[data-account-form]", AccountForms.AddPage), handler: "Test");
        pages.Add(tested.Html);
        (await user.Session.PostAsync(Form.Of(tested.Html, "form[data-account-form]", AccountForms.AddPage))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single();
        var tokens = new List<MailAccounts.Infrastructure.SignInProviders.TokenSet> { await product.StoredTokensAsync(account.Id) };

        // The provider's clock passes the token's life: the client's first page renews it, and the rotated pair is scanned for too.
        product.AuthorizationClock.Advance(ProductFixture.AccessTokenLifetime + TimeSpan.FromSeconds(5));
        pages.Add((await user.Session.GetAsync($"/Email?account={account.Id}")).Html);
        tokens.Add(await product.StoredTokensAsync(account.Id));
        tokens[1].AccessToken.ShouldNotBe(tokens[0].AccessToken);
        var compose = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account.Id}")).Html, "form.compose");
        compose["Input.To"] = recipient.Address;
        compose["Input.Subject"] = "Sent with a scanned token";
        (await user.Session.PostAsync(compose)).Status.ShouldBe(HttpStatusCode.Redirect);
        await product.WaitForMessageAsync(recipient, MailKit.Search.SearchQuery.SubjectContains("Sent with a scanned token"));
        pages.Add((await user.Session.GetAsync("/Email/Settings/Accounts")).Html);
        pages.Add((await user.Session.GetAsync($"/Email/Settings/Accounts/Edit/{account.Id}")).Html);
        pages.Add((await user.Session.GetAsync($"/Email/Settings/Accounts/History/{account.Id}")).Html);
        pages.Add(await (await user.Session.GetResponseAsync($"/Email/Settings/Accounts/History/{account.Id}?handler=Export&format=json")).Content.ReadAsStringAsync());

        var secrets = tokens.SelectMany(t => new[] { t.AccessToken, t.RefreshToken! }).ToArray();
        secrets.ShouldAllBe(t => t.Length > 20);
        foreach (var token in secrets)
        {
            var needles = TokenNeedles(mailbox.Address, token);
            (await TablesHoldingAsync(needles)).ShouldBeEmpty("the database holds a token");
            product.Logs.Lines.Where(line => needles.Any(line.Contains)).ShouldBeEmpty();
            pages.Where(html => needles.Any(html.Contains)).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task no_key_in_the_database_decrypts_a_password_without_the_configured_certificate()
    {
        using var user = await product.NewUserAsync();
        var password = "KeyRing-" + Guid.NewGuid().ToString("N");
        var form = AccountForms.Valid("Key ring " + Guid.NewGuid().ToString("N")[..6], "keyring@example.com").With("Input.Password", password);
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var accountId = Guid.Parse(AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html)[^36..]);
        var store = product.Services.GetRequiredService<IDocumentStore>();
        Guid secretId;
        await using (var session = store.QuerySession())
        {
            secretId = (await session.LoadAsync<Account>(accountId))!.Incoming!.PasswordSecretId;
            // The product, which has the certificate, reads it.
            (await product.Services.GetRequiredService<SecretVault>().RevealAsync(session, secretId, CancellationToken.None)).ShouldBe(password);
        }

        var keyRing = await DatabaseDump.KeyRingAsync(product.Postgres.ConnectionString);
        var secrets = await DatabaseDump.SecretsAsync(product.Postgres.ConnectionString);
        var secret = secrets.Single(s => s.Id == secretId);

        await NothingInTheDatabaseDecryptsWithoutTheCertificateAsync();

        // The same dump with the certificate does decrypt it: what is missing above is the certificate, nothing else.
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(product.KeyRingCertificatePath, product.KeyRingCertificatePassword);
        DatabaseDump.SecretProtectorOver(keyRing, certificate).TryUnprotect(secret.Ciphertext).ShouldBe(password);
    }

    /// <summary>
    /// Every key of the key ring in the database is stored encrypted (no master key in the clear), and a provider of
    /// the product's name over that key ring, without the certificate, decrypts not one stored password. Whether a
    /// ciphertext decrypts depends on its key alone (the purpose is the same for all), so one ciphertext of each key
    /// the secrets name stands for all of that key's: trying every secret of the shared database took two minutes,
    /// each failed attempt reading the key ring again.
    /// </summary>
    private async Task NothingInTheDatabaseDecryptsWithoutTheCertificateAsync()
    {
        var keyRing = await DatabaseDump.KeyRingAsync(product.Postgres.ConnectionString);
        var secrets = await DatabaseDump.SecretsAsync(product.Postgres.ConnectionString);
        var keys = keyRing.Where(k => k.Name.LocalName == "key").ToArray();
        keys.ShouldNotBeEmpty();
        secrets.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => !k.Descendants().Any(d => d.Name.LocalName == "masterKey") && k.Descendants().Any(d => d.Name.LocalName == "encryptedSecret"));

        var oneOfEachKey = secrets.GroupBy(s => DatabaseDump.KeyIdOf(s.Ciphertext)).Select(g => g.First()).ToArray();
        oneOfEachKey.Select(s => DatabaseDump.KeyIdOf(s.Ciphertext)).ShouldAllBe(id => keys.Any(k => (string?)k.Attribute("id") == id.ToString()));
        var withoutCertificate = DatabaseDump.SecretProtectorOver(keyRing, certificate: null);
        oneOfEachKey.Where(s => withoutCertificate.TryUnprotect(s.Ciphertext) is not null).Select(s => s.Id).ShouldBeEmpty();
    }

    private static string[] Needles(string login, string password) =>
    [
        password,
        Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{login}\0{password}")),
        Convert.ToHexString(Encoding.UTF8.GetBytes(password)).ToLowerInvariant(),
    ];

    /// <summary>A token as it is, in base64, as XOAUTH2 sends it (RFC 7628's user=…^Aauth=Bearer …^A^A, in base64), and as hex.</summary>
    private static string[] TokenNeedles(string mailbox, string token) =>
    [
        token,
        Convert.ToBase64String(Encoding.UTF8.GetBytes(token)),
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={mailbox}\u0001auth=Bearer {token}\u0001\u0001")),
        Convert.ToHexString(Encoding.UTF8.GetBytes(token)).ToLowerInvariant(),
    ];

    private async Task<List<string>> TablesHoldingAsync(string[] needles)
    {
        await using var connection = new NpgsqlConnection(product.Postgres.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables " +
            "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.ShouldContain(t => t.Contains("mt_events", StringComparison.Ordinal));
        tables.ShouldContain(t => t.Contains("wolverine", StringComparison.Ordinal));
        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var search = new NpgsqlCommand(
                $"select count(*) from {table} t where strpos(t::text, @a) > 0 or strpos(t::text, @b) > 0 or strpos(t::text, @c) > 0 or strpos(t::text, @d) > 0",
                connection);
            for (var i = 0; i < needles.Length; i++)
            {
                search.Parameters.AddWithValue(((char)('a' + i)).ToString(), needles[i]);
            }

            if ((long)(await search.ExecuteScalarAsync())! > 0)
            {
                holding.Add(table);
            }
        }

        return holding;
    }
}
