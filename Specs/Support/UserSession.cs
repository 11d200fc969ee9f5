using System.Net;
using System.Text.RegularExpressions;

namespace MailAccounts.Specs.Support;

/// <summary>A person's browser without the rendering: cookies, anti-forgery tokens, forms posted as a browser posts them.</summary>
public sealed partial class UserSession(HttpClient client) : IDisposable
{
    private readonly HttpClient _client = client;

    public UserSession(Uri baseAddress)
        : this(new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress })
    {
    }

    public async Task<bool> TrySignInAsync(string login, string password)
    {
        var response = await SubmitAsync("/SignIn", new() { ["Login"] = login, ["Password"] = password });
        return response.Status == HttpStatusCode.Redirect;
    }

    public async Task SignInAsync(string login, string password)
    {
        if (!await TrySignInAsync(login, password))
        {
            throw new InvalidOperationException($"{login} could not sign in.");
        }
    }

    public async Task<Page> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>The raw response, for headers; the caller disposes it.</summary>
    public Task<HttpResponseMessage> GetResponseAsync(string path) => _client.GetAsync(path);

    /// <summary>A response that does not end by itself (server-sent events): returned once its headers came, its body read as it streams.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken = default) =>
        _client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>Opens the page that holds the form, then posts the form with the page's anti-forgery token.</summary>
    /// <param name="postTo">Where the form posts when that is not the page itself, as the layout's language switcher does.</param>
    public async Task<Page> SubmitAsync(string path, Dictionary<string, string> fields, string? handler = null, string? postTo = null)
    {
        var form = await GetAsync(path);
        var token = AntiForgeryToken().Match(form.Html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{path} has no form with an anti-forgery token (status {form.Status}).");
        }

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        var target = postTo ?? (handler is null ? path : $"{path}?handler={handler}");
        using var response = await _client.PostAsync(target, new FormUrlEncodedContent(fields));
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    public async Task<Page> PostWithoutTokenAsync(string path, Dictionary<string, string> fields)
    {
        using var response = await _client.PostAsync(path, new FormUrlEncodedContent(fields));
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    public async Task<Page> PostAsync(string path, HttpContent content)
    {
        using var response = await _client.PostAsync(path, content);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();
}

public sealed record Page(HttpStatusCode Status, string Html, Uri? Location)
{
    /// <summary>The page parsed once, for specs that look things up by ids, <c>data-*</c> hooks, roles and field names.</summary>
    public Dom Dom => field ??= Dom.Parse(Html);
}
