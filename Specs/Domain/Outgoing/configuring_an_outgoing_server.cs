using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;

namespace MailAccounts.Specs.Domain.Outgoing;

public sealed class configuring_an_outgoing_server
{
    private static readonly Guid ServerId = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Secret = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(OutgoingServerKind.Gmail, "smtp.gmail.com")]
    [InlineData(OutgoingServerKind.Yahoo, "smtp.mail.yahoo.com")]
    public void gmail_and_yahoo_need_only_the_address_and_password(OutgoingServerKind kind, string host)
    {
        var configured = OutgoingServerDecisions.Configure(ServerId, Owner, null,
            new OutgoingServerForm(kind, Host: "ignored.example.com", Login: "anna@example.com", NewPasswordSecretId: Secret), Owner, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<OutgoingServerConfigured>();

        configured.Host.ShouldBe(host);
        configured.Port.ShouldBe(465);
        configured.Security.ShouldBe(TransportSecurity.SslOnConnect);
        configured.UseAuthentication.ShouldBeTrue();
        configured.PasswordSecretId.ShouldBe(Secret);
    }

    [Fact]
    public void another_server_takes_its_host_port_and_security_from_the_form()
    {
        var configured = OutgoingServerDecisions.Configure(ServerId, Owner, null,
            new OutgoingServerForm(OutgoingServerKind.Exchange, "Mail.Example.com", null, TransportSecurity.StartTls, true, "anna", Secret), Owner, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<OutgoingServerConfigured>();

        configured.Host.ShouldBe("mail.example.com");
        configured.Port.ShouldBe(587);
    }

    [Fact]
    public void a_server_without_authentication_keeps_no_login_or_password()
    {
        var configured = OutgoingServerDecisions.Configure(ServerId, null, null,
            new OutgoingServerForm(OutgoingServerKind.Other, "relay.example.com", 25, TransportSecurity.StartTls, false, "anna", Secret), Owner, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<OutgoingServerConfigured>();

        configured.Login.ShouldBe("");
        configured.PasswordSecretId.ShouldBeNull();
        configured.OwnerId.ShouldBeNull();
    }

    [Fact]
    public void unchanged_settings_append_nothing_and_an_empty_password_keeps_the_old_one()
    {
        var form = new OutgoingServerForm(OutgoingServerKind.Other, "smtp.example.com", 587, TransportSecurity.StartTls, true, "anna", Secret);
        var current = OutgoingServerDecisions.Configure(ServerId, Owner, null, form, Owner, Now).Events.Aggregate((OutgoingServer?)null, OutgoingServer.Evolve);

        OutgoingServerDecisions.Configure(ServerId, Owner, current, form with { NewPasswordSecretId = null }, Owner, Now).Events.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("host")]
    [InlineData("port")]
    [InlineData("security")]
    [InlineData("login")]
    [InlineData("preset")]
    public void when_an_edit_names_another_server_without_the_password_typed_again_it_is_refused(string change)
    {
        var form = new OutgoingServerForm(OutgoingServerKind.Other, "smtp.example.com", 587, TransportSecurity.StartTls, true, "anna", Secret);
        var current = OutgoingServerDecisions.Configure(ServerId, Owner, null, form, Owner, Now).Events.Aggregate((OutgoingServer?)null, OutgoingServer.Evolve);
        var other = change switch
        {
            "host" => form with { Host = "smtp.attacker.example" },
            "port" => form with { Port = 2525 },
            "security" => form with { Security = TransportSecurity.None },
            "login" => form with { Login = "boris" },
            _ => form with { Kind = OutgoingServerKind.Gmail },
        };

        OutgoingServerDecisions.Configure(ServerId, Owner, current, other with { NewPasswordSecretId = null }, Owner, Now)
            .ShouldBeRefusedWith("Password", AccountViolations.PasswordRequiredForServer);
        var retyped = Guid.NewGuid();
        OutgoingServerDecisions.Configure(ServerId, Owner, current, other with { NewPasswordSecretId = retyped }, Owner, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<OutgoingServerConfigured>().PasswordSecretId.ShouldBe(retyped);
    }

    [Fact]
    public void a_server_without_authentication_may_move_without_a_password()
    {
        var form = new OutgoingServerForm(OutgoingServerKind.Other, "relay.example.com", 25, TransportSecurity.StartTls, false);
        var current = OutgoingServerDecisions.Configure(ServerId, null, null, form, Owner, Now).Events.Aggregate((OutgoingServer?)null, OutgoingServer.Evolve);

        OutgoingServerDecisions.Configure(ServerId, null, current, form with { Port = 2525 }, Owner, Now).IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void a_server_that_needs_authentication_needs_a_login_and_password()
    {
        var decision = OutgoingServerDecisions.Configure(ServerId, Owner, null,
            new OutgoingServerForm(OutgoingServerKind.Other, "smtp.example.com", 587, TransportSecurity.StartTls, true, "", null), Owner, Now);

        decision.ShouldBeRefusedWith("Login", AccountViolations.LoginRequired);
        decision.ShouldBeRefusedWith("Password", AccountViolations.PasswordRequired);
    }

    [Theory]
    [InlineData("", 587, "Host", AccountViolations.HostRequired)]
    [InlineData("smtp://example.com", 587, "Host", AccountViolations.HostInvalid)]
    [InlineData("smtp.example.com:587", 587, "Host", AccountViolations.HostInvalid)]
    [InlineData("smtp.example.com", 0, "Port", AccountViolations.PortInvalid)]
    [InlineData("smtp.example.com", 70000, "Port", AccountViolations.PortInvalid)]
    public void a_host_or_port_an_account_would_refuse_is_refused_here_too(string host, int port, string field, string code)
    {
        OutgoingServerDecisions.Configure(ServerId, Owner, null,
            new OutgoingServerForm(OutgoingServerKind.Other, host, port, TransportSecurity.StartTls, true, "anna", Secret), Owner, Now)
            .ShouldBeRefusedWith(field, code);
        AccountDecisions.SaveAccount(Guid.NewGuid(), Owner, null,
            new AccountForm("Work", "Anna", "anna@example.com", Host: host, Port: port, Login: "anna", NewPasswordSecretId: Secret),
            new AccountContext([], new HashSet<Guid>()), Owner, Now)
            .ShouldBeRefusedWith(field, code);
    }
}
