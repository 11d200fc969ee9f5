using System.Xml.Linq;

namespace MailAccounts.Specs.Integration.Localisation;

/// <summary>Every page exists in English and Russian: a word added in one resource file must be added in the other.</summary>
public sealed class when_comparing_the_languages
{
    private static Dictionary<string, string> Read(string file)
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "MailAccounts.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("The solution folder was not found.");
        }

        return XDocument.Load(Path.Combine(folder, "WebHost", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
    }

    [Fact]
    public void english_and_russian_have_the_same_words_and_none_is_left_empty()
    {
        var english = Read("SharedResource.resx");
        var russian = Read("SharedResource.ru.resx");

        russian.Keys.Order().ShouldBe(english.Keys.Order());
        english.Values.ShouldAllBe(v => v.Trim().Length > 0);
        russian.Values.ShouldAllBe(v => v.Trim().Length > 0);
    }

    [Fact]
    public void every_code_the_domain_refuses_with_has_words_in_both_languages()
    {
        var english = Read("SharedResource.resx");
        var codes = typeof(MailAccounts.Domain.Accounts.AccountViolations).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Violations", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields())
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        codes.ShouldNotBeEmpty();
        codes.Where(c => !english.ContainsKey(c)).ShouldBeEmpty();
    }
}
