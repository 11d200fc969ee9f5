using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Specs.Integration.Mail;

/// <summary>The provider presets embedded in the product: well-formed data, and the preset an address or an id leads to.</summary>
public sealed class when_choosing_a_provider_preset
{
    private static IEnumerable<ServerEndpoint> EndpointsOf(ProviderPreset preset) =>
        new[] { preset.Imap, preset.Pop3, preset.Smtp }.OfType<ServerEndpoint>();

    [Fact]
    public void the_presets_are_read_from_the_embedded_file()
    {
        ProviderPresets.All.ShouldNotBeEmpty();
        ProviderPresets.All.Select(p => p.Id).ShouldBeUnique();
        ProviderPresets.All.ShouldAllBe(p => p.Id == p.Id.ToLowerInvariant() && p.Name.Trim().Length > 0);
    }

    [Theory]
    [InlineData("imap.gmail.com", true)]
    [InlineData("IMAP.GMAIL.COM", true)]
    [InlineData("pop.gmail.com", true)]
    [InlineData("outlook.office365.com", true)]
    [InlineData("imap.yandex.ru", false)]
    [InlineData("mail.example.com", false)]
    public void a_sent_copy_is_left_to_providers_that_file_sent_mail_themselves(string incomingHost, bool filesItself)
    {
        ProviderPresets.FilesSentMail(incomingHost).ShouldBe(filesItself);
    }

    [Fact]
    public void every_preset_has_non_empty_hosts_and_valid_ports()
    {
        foreach (var endpoint in ProviderPresets.All.SelectMany(EndpointsOf))
        {
            endpoint.Host.Trim().ShouldNotBeEmpty();
            endpoint.Port.ShouldBeInRange(1, 65535);
            Enum.IsDefined(endpoint.Security).ShouldBeTrue();
        }
    }

    [Fact]
    public void every_preset_claims_at_least_one_domain()
    {
        ProviderPresets.All.ShouldAllBe(p => p.Domains.Count > 0 && p.Domains.All(d => d.Trim().Length > 0));
    }

    [Fact]
    public void no_domain_is_claimed_by_two_presets()
    {
        var claimedTwice = ProviderPresets.All
            .SelectMany(p => p.Domains, (p, d) => (Preset: p.Id, Domain: d.ToLowerInvariant()))
            .GroupBy(c => c.Domain)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Preset))}");

        claimedTwice.ShouldBeEmpty();
    }

    [Fact]
    public void every_preset_leads_back_to_itself_from_each_of_its_domains()
    {
        foreach (var preset in ProviderPresets.All)
        {
            foreach (var domain in preset.Domains)
            {
                ProviderPresets.ForAddress("someone@" + domain).ShouldBeSameAs(preset, domain);
            }
        }
    }

    [Fact]
    public void gmail_is_there_for_the_set_gmail_parameters_button()
    {
        var gmail = ProviderPresets.ById("gmail").ShouldNotBeNull();

        gmail.Name.ShouldBe("Gmail");
        gmail.Imap.ShouldBe(new ServerEndpoint("imap.gmail.com", 993, TransportSecurity.SslOnConnect));
        gmail.Smtp.Host.ShouldBe("smtp.gmail.com");
    }

    [Fact]
    public void an_id_is_found_whatever_its_case()
    {
        ProviderPresets.ById("GMAIL").ShouldBeSameAs(ProviderPresets.ById("gmail"));
        ProviderPresets.ById("GMAIL")!.Id.ShouldBe("gmail");
        ProviderPresets.ById("no-such-provider").ShouldBeNull();
    }

    [Fact]
    public void an_address_at_gmail_suggests_gmail_whatever_its_case()
    {
        ProviderPresets.ForAddress("anna@GMAIL.com")!.Id.ShouldBe("gmail");
    }

    [Theory]
    [InlineData("x@inbox.ru")]
    [InlineData("x@bk.ru")]
    [InlineData("x@list.ru")]
    [InlineData("x@mail.ru")]
    public void an_address_at_inbox_ru_bk_ru_or_list_ru_suggests_mail_ru(string address)
    {
        ProviderPresets.ForAddress(address)!.Id.ShouldBe("mailru");
    }

    [Fact]
    public void an_address_at_yandex_ru_suggests_yandex()
    {
        ProviderPresets.ForAddress("x@yandex.ru")!.Id.ShouldBe("yandex");
    }

    [Fact]
    public void an_address_at_icloud_com_suggests_icloud_which_has_no_pop3()
    {
        var icloud = ProviderPresets.ForAddress("x@icloud.com").ShouldNotBeNull();

        icloud.Id.ShouldBe("icloud");
        icloud.Pop3.ShouldBeNull();
        icloud.Smtp.ShouldBe(new ServerEndpoint("smtp.mail.me.com", 587, TransportSecurity.StartTls));
    }

    [Fact]
    public void an_address_at_an_unknown_domain_suggests_nothing()
    {
        ProviderPresets.ForAddress("x@example.org").ShouldBeNull();
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("x@")]
    [InlineData("@gmail.com")]
    public void a_malformed_address_suggests_nothing(string? address)
    {
        ProviderPresets.ForAddress(address).ShouldBeNull();
    }

    [Fact]
    public void the_domain_is_taken_after_the_last_at_sign()
    {
        ProviderPresets.ForAddress("\"a@b\"@gmail.com")!.Id.ShouldBe("gmail");
        ProviderPresets.ForAddress("x@gmail.com@example.org").ShouldBeNull();
    }

    [Fact]
    public void the_gmail_note_is_in_russian_for_ru_and_in_english_for_en()
    {
        var gmail = ProviderPresets.ById("gmail")!;

        var russian = gmail.Note("ru").ShouldNotBeNull();
        var english = gmail.Note("en").ShouldNotBeNull();

        russian.ShouldBe(gmail.NoteRu);
        russian.ShouldMatch(@"\p{IsCyrillic}");
        english.ShouldBe(gmail.NoteEn);
        english.ShouldNotMatch(@"\p{IsCyrillic}");
        english.ShouldContain("app password");
    }

    [Fact]
    public void every_preset_has_a_note_in_english_and_in_russian()
    {
        ProviderPresets.All.ShouldAllBe(p => !string.IsNullOrWhiteSpace(p.NoteEn) && !string.IsNullOrWhiteSpace(p.NoteRu));
    }

    [Fact]
    public void a_language_without_its_own_note_gets_the_english_one()
    {
        var preset = new ProviderPreset("x", "X", ["x.example"], new ServerEndpoint("imap.x.example", 993, TransportSecurity.SslOnConnect), null,
            new ServerEndpoint("smtp.x.example", 465, TransportSecurity.SslOnConnect), "English", null);

        preset.Note("ru").ShouldBe("English");
        preset.Note("de").ShouldBe("English");
        ProviderPresets.ById("gmail")!.Note("de").ShouldBe(ProviderPresets.ById("gmail")!.NoteEn);
    }

    [Theory]
    [InlineData("aspmx.l.google.com", "gmail")]
    [InlineData("example-ru.mail.protection.outlook.com", "outlook")]
    [InlineData("mx.yandex.net", "yandex")]
    [InlineData("mxs.mail.ru", "mailru")]
    public void a_domain_hosted_by_a_provider_is_recognised_by_its_mx_host(string exchange, string preset)
    {
        ProviderPresets.ForMx([new MailAccounts.Domain.Discovery.MxAnswer(exchange, 10)])!.Id.ShouldBe(preset);
    }

    [Fact]
    public void an_mx_host_under_no_provider_gives_no_preset()
    {
        ProviderPresets.ForMx([new MailAccounts.Domain.Discovery.MxAnswer("mx.example.org", 10)]).ShouldBeNull();
        ProviderPresets.ForMx([]).ShouldBeNull();
    }

    [Fact]
    public void no_mx_domain_is_claimed_by_two_presets()
    {
        ProviderPresets.All.SelectMany(p => p.MxDomains ?? []).ShouldBeUnique();
    }
}
