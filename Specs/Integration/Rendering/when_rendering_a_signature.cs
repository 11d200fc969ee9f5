using MailAccounts.Infrastructure.Rendering;

namespace MailAccounts.Specs.Integration.Rendering;

/// <summary>Signatures are user-written templates: they get the values offered and nothing more.</summary>
public sealed class when_rendering_a_signature
{
    private static readonly SignatureValues Values = new(
        "Anna <Smirnova>", "anna", "Sales", "Anna Smirnova", "anna@example.com", new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void placeholders_are_filled_and_escaped()
    {
        var rendered = SignatureTemplates.Render("<p>{{ user.name }}<br>{{ account.address }} · {{ date }}</p>", Values);

        rendered.Html.ShouldBe("<p>Anna &lt;Smirnova&gt;<br>anna@example.com · 2026-11-28</p>");
        rendered.Text.ShouldBe("Anna <Smirnova>\nanna@example.com · 2026-11-28");
    }

    [Theory]
    [InlineData("{{ user.GetType }}")]
    [InlineData("{{ user.name.Length }}")]
    [InlineData("{{ account.password }}")]
    [InlineData("{{ environment }}")]
    [InlineData("{{ date.now }}")]
    [InlineData("{{ string.upcase user.name }}")]
    public void reaching_for_anything_but_the_offered_values_is_stopped(string template)
    {
        // Each of these is valid Scriban: it is the sandbox that stops them, not the parser.
        Scriban.Template.Parse(template).HasErrors.ShouldBeFalse();
        SignatureTemplates.Check(template).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("{{ while true }}x{{ end }}")]
    [InlineData("{{ for i in 1..100000 }}{{ i }}{{ end }}")]
    [InlineData("{{ func f; f; end; f }}")]
    public void an_endless_loop_or_recursion_is_stopped(string template)
    {
        Scriban.Template.Parse(template).HasErrors.ShouldBeFalse();
        SignatureTemplates.Check(template).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("<script>alert(1)</script>Bye")]
    [InlineData("{{ '<script>alert(1)</script>' }}Bye")]
    [InlineData("<scr{{ '' }}ipt>alert(1)</scr{{ '' }}ipt>Bye")]
    [InlineData("<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">Bye</a>")]
    public void a_template_that_outputs_a_script_never_yields_one(string template)
    {
        var html = SignatureTemplates.Render(template, Values).Html;

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("javascript:", Case.Insensitive);
        html.ShouldNotContain("onclick", Case.Insensitive);
        html.ShouldContain("Bye");
    }

    [Fact]
    public void a_template_that_does_not_parse_is_reported_with_the_reason() =>
        SignatureTemplates.Check("{{ if user.name }}unclosed").ShouldNotBeNull().ShouldNotBeEmpty();

    [Fact]
    public void links_keep_their_address_in_the_plain_text() =>
        SignatureTemplates.Render("<p><a href=\"https://example.com\">Our site</a></p>", Values).Text.ShouldBe("Our site <https://example.com>");
}
