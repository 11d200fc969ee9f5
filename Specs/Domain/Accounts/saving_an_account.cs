using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain.Accounts;

public sealed class saving_an_account
{
    private static readonly Guid AccountId = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Secret = Guid.NewGuid();
    private static readonly Guid OwnServer = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static readonly AccountForm Form = new(
        " Sales ", "Anna Smirnova", "anna@example.com", IncomingProtocol.Imap, "IMAP.example.com", null, TransportSecurity.SslOnConnect,
        "anna@example.com", Secret, ["INBOX", "Projects"], "Trash", "Sent", "", "", "boss@example.com", null);

    private static Decision Save(Account? current, AccountForm form, params string[] otherTitles) =>
        AccountDecisions.Save(AccountId, Owner, current, form, new AccountContext(otherTitles, new HashSet<Guid> { OwnServer }), Owner, Now);

    private static Account Created() => Save(null, Form).Events.Aggregate((Account?)null, Account.Evolve)!;

    [Fact]
    public void a_new_account_records_each_part_of_the_form_once()
    {
        var events = Save(null, Form).Events;

        events.Select(e => e.GetType()).ShouldBe(
        [
            typeof(AccountCreated), typeof(IncomingServerConfigured), typeof(CredentialsChanged), typeof(FoldersSelected),
            typeof(TrashFolderSelected), typeof(SentFolderSelected), typeof(OutgoingConfigured),
        ]);
        events[0].ShouldBe(new AccountCreated(AccountId, Owner, AccountKind.Individual, "Sales", "Anna Smirnova", "anna@example.com", Owner, Now));
        events[1].ShouldBe(new IncomingServerConfigured(AccountId, IncomingProtocol.Imap, "imap.example.com", 993, TransportSecurity.SslOnConnect, Owner, Now));
        events[2].ShouldBe(new CredentialsChanged(AccountId, "anna@example.com", Secret, Owner, Now));
        events.OfType<FoldersSelected>().Single().Folders.ShouldBe(["INBOX", "Projects"]);
        events[4].ShouldBe(new TrashFolderSelected(AccountId, "Trash", Owner, Now));
        events[5].ShouldBe(new SentFolderSelected(AccountId, "Sent", Owner, Now));
        events[6].ShouldBe(new OutgoingConfigured(AccountId, "Anna Smirnova", "anna@example.com", "boss@example.com", null, Owner, Now));
    }

    [Fact]
    public void saving_the_unchanged_form_appends_nothing() =>
        Save(Created(), Form with { NewPasswordSecretId = null }).Events.ShouldBeEmpty();

    [Fact]
    public void an_edit_appends_only_what_changed()
    {
        var events = Save(Created(), Form with { NewPasswordSecretId = null, Title = "Sales desk", SentFolder = "Sent Items" }).Events;

        events.Select(e => e.GetType()).ShouldBe([typeof(AccountDetailsChanged), typeof(SentFolderSelected)]);
        events.OfType<SentFolderSelected>().Single().Folder.ShouldBe("Sent Items");
    }

    public static TheoryData<string, AccountForm> OtherServers => new()
    {
        { "host", Form with { Host = "imap.attacker.example" } },
        { "port", Form with { Port = 10993 } },
        { "protocol", Form with { Protocol = IncomingProtocol.Pop3, Port = 993 } },
        { "security", Form with { Security = TransportSecurity.StartTls, Port = 993 } },
        { "login", Form with { Login = "someone-else@example.com" } },
    };

    [Theory]
    [MemberData(nameof(OtherServers))]
    public void when_an_edit_names_another_server_without_the_password_typed_again_it_is_refused(string change, AccountForm other)
    {
        Save(Created(), other with { NewPasswordSecretId = null }).ShouldBeRefusedWith("Password", AccountViolations.PasswordRequiredForServer);

        var retyped = Guid.NewGuid();
        var accepted = Save(Created(), other with { NewPasswordSecretId = retyped });
        accepted.IsAccepted.ShouldBeTrue(change);
        accepted.Events.OfType<CredentialsChanged>().Single().PasswordSecretId.ShouldBe(retyped);
    }

    [Fact]
    public void a_new_password_is_a_new_secret_reference_and_never_text()
    {
        var replaced = Guid.NewGuid();
        var changed = Save(Created(), Form with { NewPasswordSecretId = replaced }).Events.ShouldHaveSingleItem().ShouldBeOfType<CredentialsChanged>();

        changed.PasswordSecretId.ShouldBe(replaced);
    }

    [Theory]
    [InlineData(IncomingProtocol.Imap, TransportSecurity.SslOnConnect, 993)]
    [InlineData(IncomingProtocol.Imap, TransportSecurity.StartTls, 143)]
    [InlineData(IncomingProtocol.Pop3, TransportSecurity.SslOnConnect, 995)]
    [InlineData(IncomingProtocol.Pop3, TransportSecurity.StartTls, 110)]
    public void the_port_follows_protocol_and_ssl_unless_typed(IncomingProtocol protocol, TransportSecurity security, int port)
    {
        Save(null, Form with { Protocol = protocol, Security = security }).Events.OfType<IncomingServerConfigured>().Single().Port.ShouldBe(port);
        Save(null, Form with { Protocol = protocol, Security = security, Port = 10993 }).Events.OfType<IncomingServerConfigured>().Single().Port.ShouldBe(10993);
    }

    [Fact]
    public void a_pop3_account_checks_its_inbox_only_and_has_no_trash_or_sent()
    {
        var account = Save(null, Form with { Protocol = IncomingProtocol.Pop3 }).Events.Aggregate((Account?)null, Account.Evolve)!;

        account.MonitoredFolders.ShouldBe(["INBOX"]);
        account.TrashFolder.ShouldBeNull();
        account.SentFolder.ShouldBeNull();
    }

    [Fact]
    public void the_outgoing_name_and_address_default_to_the_incoming_ones() =>
        Created().Outgoing.ShouldBe(new OutgoingSettings("Anna Smirnova", "anna@example.com", "boss@example.com", null));

    [Theory]
    [InlineData("", AccountViolations.HostRequired)]
    [InlineData("imap://example.com", AccountViolations.HostInvalid)]
    [InlineData("imap.example.com:993", AccountViolations.HostInvalid)]
    public void a_server_that_is_not_a_host_name_is_refused(string host, string code) =>
        Save(null, Form with { Host = host }).ShouldBeRefusedWith("Host", code);

    [Fact]
    public void a_new_account_needs_a_password_and_a_login()
    {
        Save(null, Form with { NewPasswordSecretId = null }).ShouldBeRefusedWith("Password", AccountViolations.PasswordRequired);
        Save(null, Form with { Login = " " }).ShouldBeRefusedWith("Login", AccountViolations.LoginRequired);
    }

    [Fact]
    public void a_port_outside_1_to_65535_is_refused() =>
        Save(null, Form with { Port = 70000 }).ShouldBeRefusedWith("Port", AccountViolations.PortInvalid);

    [Fact]
    public void the_forward_address_must_be_an_address() =>
        Save(null, Form with { ForwardTo = "boss" }).ShouldBeRefusedWith("ForwardTo", AccountViolations.AddressInvalid);

    [Fact]
    public void only_the_users_own_servers_or_the_system_default_can_be_chosen()
    {
        Save(null, Form with { OutgoingServerId = OwnServer }).IsAccepted.ShouldBeTrue();
        Save(null, Form with { OutgoingServerId = Guid.NewGuid() }).ShouldBeRefusedWith("OutgoingServerId", AccountViolations.UnknownOutgoingServer);
    }

    [Theory]
    [InlineData(null, AccountViolations.TitleRequired)]
    [InlineData("   ", AccountViolations.TitleRequired)]
    public void without_a_title_nothing_is_created(string? title, string code) =>
        Save(null, Form with { Title = title }).ShouldBeRefusedWith("Title", code);

    [Fact]
    public void a_title_of_101_characters_is_refused_and_100_is_accepted()
    {
        Save(null, Form with { Title = new string('t', 101) }).ShouldBeRefusedWith("Title", AccountViolations.TitleTooLong);
        Save(null, Form with { Title = new string('t', 100) }).IsAccepted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Sales")]
    [InlineData(" sales ")]
    [InlineData("SALES")]
    public void a_title_the_owner_already_uses_is_refused_whatever_its_case(string title) =>
        Save(null, Form with { Title = title }, "Support", "Sales").ShouldBeRefusedWith("Title", AccountViolations.TitleTaken);

    [Theory]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("@example.com")]
    [InlineData("Anna <anna@example.com>")]
    [InlineData("anna@example..com")]
    [InlineData("anna smirnova@example.com")]
    public void an_address_that_is_not_an_email_address_is_refused(string address) =>
        Save(null, Form with { Address = address }).ShouldBeRefusedWith("Address", AccountViolations.AddressInvalid);

    [Fact]
    public void every_broken_rule_is_reported_at_once()
    {
        var decision = Save(null, Form with { Title = "", Name = new string('n', 201), Address = "nope", Host = "" });

        decision.Violations.Select(v => v.Code).ShouldBe(
            [AccountViolations.TitleRequired, AccountViolations.NameTooLong, AccountViolations.AddressInvalid, AccountViolations.HostRequired],
            ignoreOrder: true);
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void trusting_a_certificate_is_recorded_once_per_host_and_fingerprint()
    {
        var fingerprint = new string('A', 64);
        var trusted = AccountDecisions.TrustCertificate(Created(), "IMAP.example.com", fingerprint.ToLowerInvariant(), Owner, Now);

        trusted.Events.ShouldBe([new CertificateTrusted(AccountId, "imap.example.com", fingerprint, Owner, Now)]);
        var state = trusted.Events.Aggregate((Account?)Created(), Account.Evolve)!;
        state.Trusts("imap.example.com", fingerprint).ShouldBeTrue();
        AccountDecisions.TrustCertificate(state, "imap.example.com", fingerprint, Owner, Now).Events.ShouldBeEmpty();
        AccountDecisions.TrustCertificate(state, "imap.example.com", "not-a-fingerprint", Owner, Now)
            .ShouldBeRefusedWith("Fingerprint", AccountViolations.FingerprintInvalid);
    }

    [Fact]
    public void a_deleted_account_frees_its_title_and_cannot_be_saved()
    {
        var deleted = AccountDecisions.DeleteAccount(Created(), Owner, Now).Events.Aggregate((Account?)Created(), Account.Evolve)!;

        deleted.Deleted.ShouldBeTrue();
        deleted.TitleKey.ShouldNotBe(Created().TitleKey);
        AccountDecisions.DeleteAccount(deleted, Owner, Now).Events.ShouldBeEmpty();
        Save(deleted, Form).ShouldBeRefusedWith("", AccountViolations.Deleted);
    }
}
