using System.Globalization;
using Scriban;
using Scriban.Runtime;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// The private mail server's Dovecot and Postfix configurations, kept as files in <c>Templates/</c> (embedded in the
/// assembly) and filled in here. The substitution is small and safe: a template sees only the values it is given (no
/// functions; a name it does not get is an error, not an empty string), and every value is one line of text or a
/// number, so no value can add a line of configuration of its own.
/// </summary>
internal static class ServerConfigurationTemplates
{
    public const string Dovecot = "dovecot.conf";
    public const string PostfixMain = "main.cf";
    public const string PostfixMaster = "master.cf";

    public static string Render(string name, IReadOnlyDictionary<string, object> values)
    {
        var template = Template.Parse(Read(name), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"The template {name} does not parse: {string.Join("; ", template.Messages)}");
        }

        var globals = new ScriptObject();
        foreach (var (key, value) in values)
        {
            globals[key] = value switch
            {
                bool flag => flag,
                int number => number.ToString(CultureInfo.InvariantCulture),
                string text when !text.Any(char.IsControl) => text,
                _ => throw new ArgumentException($"The value of {key} in {name} must be a number, a flag or one line of text."),
            };
        }

        // No built-in functions: the templates only fill in values and leave parts out.
        var context = new TemplateContext(new ScriptObject()) { StrictVariables = true };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private static string Read(string name)
    {
        using var stream = typeof(ServerConfigurationTemplates).Assembly.GetManifestResourceStream(
            $"MailAccounts.Infrastructure.LocalServers.Templates.{name}")
            ?? throw new InvalidOperationException($"The template {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
