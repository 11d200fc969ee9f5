using MailAccounts.Infrastructure.Rendering;

namespace MailAccounts.Specs.Integration.Rendering;

public sealed class when_rendering_a_template : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("templates-").FullName;

    private TemplateRenderer RendererWith(string name, string template)
    {
        File.WriteAllText(Path.Combine(_folder, name + ".scriban"), template);
        return new TemplateRenderer(_folder);
    }

    [Fact]
    public void every_value_is_html_encoded_but_the_template_markup_is_not() =>
        RendererWith("page", "<b>{{ model.title }}</b>")
            .Render("page", new { Model = new { Title = "<script>alert('x')</script> & \"quotes\"" } })
            .ShouldBe("<b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;</b>");

    [Fact]
    public void values_in_loops_and_attributes_are_encoded_too() =>
        RendererWith("list", "{{ for item in model }}<a href=\"{{ item }}\">{{ item }}</a>{{ end }}")
            .Render("list", new { Model = new[] { "\"><img src=x onerror=alert(1)>" } })
            .ShouldNotContain("<img");

    [Fact]
    public void html_the_application_vouches_for_is_written_as_it_is() =>
        RendererWith("trusted", "{{ model }}").Render("trusted", new { Model = new TrustedHtml("<em>signed</em>") }).ShouldBe("<em>signed</em>");

    [Fact]
    public void an_unknown_variable_is_an_error_not_an_empty_string() =>
        Should.Throw<Scriban.Syntax.ScriptRuntimeException>(() => RendererWith("strict", "{{ missing }}").Render("strict", new { }));

    [Fact]
    public void a_runaway_loop_is_stopped() =>
        Should.Throw<Scriban.Syntax.ScriptRuntimeException>(() =>
            RendererWith("loop", "{{ for i in 1..1000000 }}x{{ end }}").Render("loop", new { }));

    [Fact]
    public void a_template_name_cannot_reach_outside_the_templates_folder() =>
        Should.Throw<ArgumentException>(() => new TemplateRenderer(_folder).Render("../secrets", new { }));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
