using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain.Common;

public sealed class comparing_settings
{
    private static KeyValuePair<string, string>[] Settings(params (string, string)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToArray();

    [Fact]
    public void only_what_differs_is_a_change_with_its_before_and_after() =>
        SettingChanges.Between(Settings(("Port", "143"), ("Host", "imap.example.com")), Settings(("Port", "993"), ("Host", "imap.example.com")))
            .ShouldBe([new SettingChange("Port", "143", "993")]);

    [Fact]
    public void a_first_snapshot_has_no_before() =>
        SettingChanges.Between([], Settings(("Title", "Sales"))).ShouldBe([new SettingChange("Title", null, "Sales")]);

    [Fact]
    public void a_setting_that_disappears_has_no_after() =>
        SettingChanges.Between(Settings(("Title", "Sales")), []).ShouldBe([new SettingChange("Title", "Sales", null)]);
}
