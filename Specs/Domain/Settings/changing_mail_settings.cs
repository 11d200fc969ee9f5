using MailAccounts.Domain.Settings;

namespace MailAccounts.Specs.Domain.Settings;

public sealed class changing_mail_settings
{
    private static readonly Guid User = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly GeneralSettingsForm Defaults = new(0, false, "utf-8", null, false, 50);

    private static MailSettings After(params object[] events) => events.Aggregate((MailSettings?)null, MailSettings.Evolve)!;

    [Fact]
    public void a_user_starts_with_the_defaults_manual_checks_html_utf8_no_signature_and_50_a_page()
    {
        var settings = MailSettings.Defaults(User);

        settings.CheckIntervalMinutes.ShouldBe(0);
        settings.PlainText.ShouldBeFalse();
        settings.Charset.ShouldBe("utf-8");
        settings.DefaultSignatureId.ShouldBeNull();
        settings.SignatureBeforeQuote.ShouldBeFalse();
        settings.PageSize.ShouldBe(50);
        MailSettingsDecisions.SaveGeneralSettings(User, null, Defaults, User, Now).Events.ShouldBeEmpty();
    }

    [Fact]
    public void each_changed_setting_is_one_event()
    {
        var events = MailSettingsDecisions.SaveGeneralSettings(User, null, new GeneralSettingsForm(15, true, "KOI8-R", null, true, 100), User, Now).Events;

        events.ShouldBe(
        [
            new CheckIntervalChanged(User, 15, User, Now),
            new PlainTextDefaultChanged(User, true, User, Now),
            new EncodingChanged(User, "koi8-r", User, Now),
            new SignaturePlacementChanged(User, true, User, Now),
            new PageSizeChanged(User, 100, User, Now),
        ]);
        var settings = After([.. events]);
        MailSettingsDecisions.SaveGeneralSettings(User, settings, new GeneralSettingsForm(15, true, "koi8-r", null, true, 100), User, Now).Events.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(7, 50, "utf-8", "CheckIntervalMinutes", SettingsViolations.IntervalInvalid)]
    [InlineData(0, 25, "utf-8", "PageSize", SettingsViolations.PageSizeInvalid)]
    [InlineData(0, 50, "x-unknown", "Charset", SettingsViolations.CharsetUnknown)]
    public void a_value_not_in_the_list_is_refused(int interval, int pageSize, string charset, string field, string code) =>
        MailSettingsDecisions.SaveGeneralSettings(User, null, new GeneralSettingsForm(interval, false, charset, null, false, pageSize), User, Now)
            .ShouldBeRefusedWith(field, code);

    [Fact]
    public void a_signature_is_created_edited_chosen_as_default_and_deleted()
    {
        var id = Guid.NewGuid();
        var created = MailSettingsDecisions.SaveSignature(User, null, id, " Regards ", "<p>{{ user.name }}</p>", null, User, Now);
        created.Events.ShouldBe([new SignatureCreated(User, id, "Regards", "<p>{{ user.name }}</p>", User, Now)]);
        var settings = After([.. created.Events]);

        MailSettingsDecisions.SaveSignature(User, settings, id, "Regards", "<p>{{ user.name }}</p>", null, User, Now).Events.ShouldBeEmpty();
        var edited = MailSettingsDecisions.SaveSignature(User, settings, id, "Regards", "<p>Best, {{ user.name }}</p>", null, User, Now);
        edited.Events.ShouldHaveSingleItem().ShouldBeOfType<SignatureEdited>();

        var chosen = MailSettingsDecisions.SaveGeneralSettings(User, settings, Defaults with { DefaultSignatureId = id }, User, Now);
        chosen.Events.ShouldBe([new DefaultSignatureChosen(User, id, User, Now)]);
        settings = After([.. created.Events, .. chosen.Events]);

        var deleted = MailSettingsDecisions.DeleteSignature(User, settings, id, User, Now);
        var afterDelete = deleted.Events.Aggregate((MailSettings?)settings, MailSettings.Evolve)!;
        afterDelete.Signatures.ShouldBeEmpty();
        afterDelete.DefaultSignatureId.ShouldBeNull();
    }

    [Fact]
    public void a_signature_over_10000_characters_or_with_a_bad_template_is_refused()
    {
        MailSettingsDecisions.SaveSignature(User, null, Guid.NewGuid(), "Long", new string('x', 10_001), null, User, Now)
            .ShouldBeRefusedWith("Html", SettingsViolations.SignatureTooLong);
        MailSettingsDecisions.SaveSignature(User, null, Guid.NewGuid(), "Broken", "{{ if }}", "parse error", User, Now)
            .ShouldBeRefusedWith("Html", SettingsViolations.SignatureTemplateInvalid);
        MailSettingsDecisions.SaveSignature(User, null, Guid.NewGuid(), "", "Hi", null, User, Now)
            .ShouldBeRefusedWith("Name", SettingsViolations.SignatureNameRequired);
    }

    [Fact]
    public void only_an_existing_signature_can_be_the_default() =>
        MailSettingsDecisions.SaveGeneralSettings(User, null, Defaults with { DefaultSignatureId = Guid.NewGuid() }, User, Now)
            .ShouldBeRefusedWith("DefaultSignatureId", SettingsViolations.SignatureUnknown);

    [Fact]
    public void visible_folders_are_chosen_from_the_servers_folders_per_account()
    {
        var account = Guid.NewGuid();
        var chosen = MailSettingsDecisions.ChooseVisibleFolders(User, null, account, ["INBOX", "Projects"], ["INBOX", "Projects", "Sent"], User, Now);

        chosen.Events.ShouldHaveSingleItem().ShouldBeOfType<VisibleFoldersChosen>().Folders.ShouldBe(["INBOX", "Projects"]);
        After([.. chosen.Events]).VisibleFoldersOf(account).ShouldBe(["INBOX", "Projects"]);
        MailSettingsDecisions.ChooseVisibleFolders(User, null, account, ["Secret"], ["INBOX"], User, Now)
            .ShouldBeRefusedWith("Folders", SettingsViolations.FolderUnknown);
    }
}
