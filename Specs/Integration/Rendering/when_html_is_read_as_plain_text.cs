using MailAccounts.Infrastructure.Rendering;

namespace MailAccounts.Specs.Integration.Rendering;

/// <summary>One reading of HTML as plain text serves a sent mail's alternative, the plain editor, quoting and signatures alike.</summary>
public sealed class when_html_is_read_as_plain_text
{
    [Fact]
    public void paragraphs_and_breaks_become_lines_with_one_empty_line_at_most() =>
        ReadableText.FromHtml("<p>Hello,</p><p><br></p><p>the plan<br>  is ready.</p>").ShouldBe("Hello,\n\nthe plan\nis ready.");

    [Fact]
    public void a_preformatted_block_keeps_its_lines_and_indentation() =>
        ReadableText.FromHtml("<p>Run   this:</p><pre>if (ready)\n    send();\n</pre>").ShouldBe("Run this:\n\nif (ready)\n    send();");

    [Fact]
    public void a_quotation_is_marked_line_by_line_and_a_nested_one_twice() =>
        ReadableText.FromHtml("<p>Agreed.</p><blockquote>Friday?<br>Boris<blockquote>Which day?</blockquote></blockquote>")
            .ShouldBe("Agreed.\n\n> Friday?\n> Boris\n>> Which day?");

    [Theory]
    [InlineData("<a href=\"https://example.com\">Our site</a>", "Our site <https://example.com>")]
    [InlineData("<a href=\"https://example.com\">https://example.com</a>", "https://example.com")]
    [InlineData("<a href=\"mailto:anna@example.com\">anna@example.com</a>", "anna@example.com")]
    [InlineData("<a href=\"mailto:anna@example.com\">Write to Anna</a>", "Write to Anna <mailto:anna@example.com>")]
    [InlineData("<a href=\"tel:+4930123\">+4930123</a>", "+4930123")]
    public void a_link_keeps_its_address_unless_its_text_already_shows_it(string html, string text) =>
        ReadableText.FromHtml(html).ShouldBe(text);
}
