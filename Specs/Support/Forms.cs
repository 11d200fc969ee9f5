using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MailAccounts.Specs.Support;

/// <summary>A form read from a page as a browser would submit it: every control's name and value, in order.</summary>
public sealed class Form(string action, List<KeyValuePair<string, string>> fields)
{
    public string Action { get; } = action;

    public string this[string name]
    {
        get => fields.FirstOrDefault(f => f.Key == name).Value ?? throw new KeyNotFoundException($"The form has no field {name}.");
        set
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }
    }

    public IReadOnlyList<string> All(string name) => fields.Where(f => f.Key == name).Select(f => f.Value).ToArray();

    public void Remove(string name) => fields.RemoveAll(f => f.Key == name);

    public void Add(string name, string value) => fields.Add(new(name, value));

    public IReadOnlyList<KeyValuePair<string, string>> Fields => fields;

    /// <summary>The form of the page that has the given CSS selector; <paramref name="page"/> is where a form without an action posts.</summary>
    public static Form Of(string html, string selector, string? page = null)
    {
        var document = new HtmlParser().ParseDocument(html);
        var form = document.QuerySelector(selector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"The page has no form matching {selector}.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                case IHtmlInputElement { Type: "file" or "submit" or "button" }:
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    fields.Add(new(box.Name!, box.Value));
                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    fields.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name!, select.Value ?? ""));
                    break;
            }
        }

        var action = WebUtility.HtmlDecode(form.GetAttribute("action") ?? "");
        return new Form(action.Length > 0 ? action : page ?? throw new InvalidOperationException("The form posts to its own page: name the page."), fields);
    }
}

public static class FormSubmission
{
    /// <summary>Posts a form read with <see cref="Form.Of"/> as multipart/form-data, with files as a browser attaches them.</summary>
    public static async Task<Page> PostAsync(
        this UserSession session, Form form, string? handler = null, IEnumerable<(string Name, string FileName, string ContentType, byte[] Content)>? files = null)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in form.Fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var file in files ?? [])
        {
            var part = new ByteArrayContent(file.Content);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
            content.Add(part, file.Name, file.FileName);
        }

        var target = handler is null ? form.Action : $"{form.Action}{(form.Action.Contains('?') ? '&' : '?')}handler={handler}";
        return await session.PostAsync(target, content);
    }
}
