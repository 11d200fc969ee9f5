using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using JasperFx;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Wolverine;

// A shell's question about message files: answered before the host is built, so no database or local server starts.
if (args is [MailAccounts.WebHost.Diagnostics.BounceCheckVerb.Name, .. var bounceFiles])
{
    return MailAccounts.WebHost.Diagnostics.BounceCheckVerb.Run(bounceFiles, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

// Servers this host started itself stop with it, also when start-up fails half-way.
var localServers = new List<IAsyncDisposable>();
using var startingUp = new CancellationTokenSource();
var stopSignals = LocalServersHosting.CancelOnStopSignals(startingUp);
try
{
    var connectionString = await LocalServersHosting.ConnectionStringAsync(builder, localServers, startingUp.Token);
    await LocalServersHosting.StartDemoMailServerAsync(builder, localServers, startingUp.Token);
    stopSignals.Dispose();

    builder.Services.AddMailAccountsStorage(connectionString);
    KeyRingHosting.ProtectKeyRing(builder);
    builder.Host.UseWolverine(options =>
    {
        options.ConfigureMailAccounts(builder.Configuration);
        // One node owns its durable agents; clustering would add leader election the product does not need yet.
        options.Durability.Mode = DurabilityMode.Solo;
    });
    builder.Services.AddHostedService<AdministratorSeeding>();
    builder.Services.AddHostedService<MailAccounts.Infrastructure.Accounts.AccountFormWarmUp>();
    builder.Services.AddSingleton<MailAccounts.Infrastructure.Search.SearchIndexFill>();
    builder.Services.AddHostedService(provider => provider.GetRequiredService<MailAccounts.Infrastructure.Search.SearchIndexFill>());

    builder.Services.AddMail(builder.Configuration);
    builder.Services.AddImport(builder.Configuration);
    builder.Services.AddSingleton(new TemplateRenderer(Path.Combine(AppContext.BaseDirectory, "Templates")));

    builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
    // Razor would otherwise write every Cyrillic letter as a numeric entity: correct, but unreadable in the source.
    builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
    builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Admin", Policies.Administrator);
            options.Conventions.AddPageRoute("/Email/Settings/Accounts/Edit", "Email/Settings/Accounts/Add");
            // AddPageRoute makes "Add" the page's only address for links, so on an account's page its form and buttons
            // (Choose, Test, the presets) lost the account's id: Choose asked for the saved password again, and after a
            // preset the page no longer knew which account it edited. "Add" stays where a new account starts; links use
            // the page's own route.
            options.Conventions.AddPageRouteModelConvention("/Email/Settings/Accounts/Edit", page =>
            {
                foreach (var selector in page.Selectors.Where(s => s.AttributeRouteModel is not null))
                {
                    selector.AttributeRouteModel!.SuppressLinkGeneration = selector.AttributeRouteModel.Template == "Email/Settings/Accounts/Add";
                }
            });
            options.Conventions.AllowAnonymousToPage("/SignIn");
            options.Conventions.AllowAnonymousToPage("/Culture");
            ComposeLimits.Apply(options, builder.Configuration);
        })
        .AddViewLocalization()
        .AddDataAnnotationsLocalization(options =>
            options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));

    // Values that do not even bind (a port of "abc") are refused in the reader's language.
    builder.Services.AddOptions<Microsoft.AspNetCore.Mvc.MvcOptions>().Configure<IStringLocalizerFactory>((options, factory) =>
    {
        var words = factory.Create(typeof(SharedResource));
        options.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor((value, _) => words["Common.ValueInvalid", value]);
        options.ModelBindingMessageProvider.SetValueIsInvalidAccessor(value => words["Common.ValueInvalid", value]);
        options.ModelBindingMessageProvider.SetValueMustBeANumberAccessor(_ => words["Common.NumberRequired"]);
        options.ModelBindingMessageProvider.SetValueMustNotBeNullAccessor(_ => words["Common.ValueRequired"]);
    });

    builder.Services.AddHttpHardening(builder.Configuration);
    builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
        .AddCookie(options =>
        {
            options.LoginPath = "/SignIn";
            options.LogoutPath = "/SignOut";
            options.AccessDeniedPath = "/Forbidden";
            options.Cookie.Name = "MailAccounts.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the site is served over HTTPS, also behind a proxy that terminates TLS (see HttpHardening).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.Events.OnValidatePrincipal = SignedInUser.RejectWhenDeactivatedAsync;
        });
    builder.Services.AddAuthorizationBuilder()
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Policies.Administrator, policy => policy.RequireRole(nameof(MailAccounts.Domain.Users.UserRole.Administrator)));

    builder.Services.AddRateLimiter(options =>
    {
        // Guessing passwords: a few tries a minute from one address, then wait. Only posted attempts count.
        var attemptsPerMinute = builder.Configuration.GetValue("Security:SignInAttemptsPerMinute", 10);
        options.AddPolicy(Policies.SignIn, context => HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = attemptsPerMinute, Window = TimeSpan.FromMinutes(1) })
            : RateLimitPartition.GetNoLimiter("pages"));
        options.OnRejected = async (context, cancellationToken) =>
        {
            var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync(text["SignIn.TooMany"], cancellationToken);
        };
    });

    var app = builder.Build();

    // First: the client's address and scheme (from a configured proxy) before the limiter, HSTS and cookies read them.
    app.UseForwardedHeaders();
    app.UseSecurityHeaders();
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error");
        app.UseHsts();
    }

    // A bare 404 or 400 (a message deleted elsewhere, a number that is not one) shows the product's own page.
    // Only for addresses a person opens: a refused post (a form too large to read, say) keeps its own status, and
    // re-running it as a post of the error page would read the refused body again.
    app.UseWhen(
        context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method),
        branch => branch.UseStatusCodePagesWithReExecute("/NotFound", "?code={0}"));

    app.UseRequestLocalization(options =>
    {
        CultureInfo[] cultures = [new("en"), new("ru")];
        options.DefaultRequestCulture = new RequestCulture("en");
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        // The language the person chose wins over the browser's; the query string is not offered.
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider(),
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
    });
    app.UseStaticFiles();
    app.UseRouting();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseReaderZone();
    // Browsers ask for /favicon.ico on pages that name no icon (a file download, the server's own error text).
    app.MapGet("/favicon.ico", () => Results.File(Path.Combine(app.Environment.WebRootPath, "favicon.svg"), "image/svg+xml")).AllowAnonymous();
    app.MapRazorPages();
    app.MapNewMailEvents();

    return await app.RunJasperFxCommands(args);
}
catch (Exception e) when (e is LocalServerException
    || e is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException })
{
    // Something the machine lacks or refuses: the person starting the host reads what and how to fix it, not a trace.
    Console.Error.WriteLine($"MailAccounts: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (startingUp.IsCancellationRequested)
{
    Console.Error.WriteLine("MailAccounts: stopped while starting.");
    return 1;
}
finally
{
    stopSignals.Dispose();
    foreach (var server in Enumerable.Reverse(localServers))
    {
        await server.DisposeAsync();
    }
}

/// <summary>The entry point, visible to the specs' WebApplicationFactory.</summary>
public partial class Program;
