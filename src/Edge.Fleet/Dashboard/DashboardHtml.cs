using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// The page frame and encoding helpers. Everything that comes from the store (device ids, reasons, event messages) is
/// written through <see cref="Encode(string?)"/>: device ids and reasons come from outside.
/// </summary>
internal static class DashboardHtml
{
    /// <summary>HTML-encodes text for element content and quoted attribute values; null becomes an empty string.</summary>
    public static string Encode(string? text) => text is null ? string.Empty : HtmlEncoder.Default.Encode(text);

    /// <summary>Encodes a value for one path segment of a link, e.g. a device id.</summary>
    public static string Segment(string text) => Encode(Uri.EscapeDataString(text));

    /// <summary>A number with <paramref name="format"/> in the invariant culture, or an em dash for none.</summary>
    public static string Number(double? value, string format = "F1") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>An instant as <c>yyyy-MM-dd HH:mm:ss</c> UTC, or an em dash.</summary>
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>
    /// The line under the title saying how this browser may act: read-only, with its client certificate, or with the
    /// token typed into its field. Every variant holds the <c>#action-result</c> line where answers show.
    /// </summary>
    /// <param name="auth">What the dashboard accepts.</param>
    /// <param name="trustedClient">The subject of this request's trusted client certificate, or null.</param>
    public static string Banner(DashboardAuth auth, string? trustedClient)
    {
        ArgumentNullException.ThrowIfNull(auth);
        const string Result = " <span id=\"action-result\" role=\"status\"></span>";
        if (!auth.ActionsEnabled)
        {
            return "<p id=\"auth\" class=\"readonly\">Read-only: this dashboard was started without a token or client CA, so actions are disabled." + Result + "</p>";
        }

        if (trustedClient is not null)
        {
            return $"<p id=\"auth\" class=\"auth\" data-client=\"{Encode(trustedClient)}\">Actions allowed by your client certificate {Encode(trustedClient)}.{Result}</p>";
        }

        return auth.HasToken
            ? "<p id=\"auth\" class=\"auth\">Actions need the dashboard token" + (auth.AcceptsClientCertificates ? " (or a client certificate from its CA)" : string.Empty)
                + ": <input id=\"token\" type=\"password\" placeholder=\"bearer token\" autocomplete=\"off\">" + Result + "</p>"
            : "<p id=\"auth\" class=\"readonly\">Read-only for this browser: actions need a client certificate signed by the dashboard's client CA." + Result + "</p>";
    }

    /// <summary>
    /// The whole page: navigation, the <paramref name="banner"/>, the static action controls, each section in a
    /// <c>&lt;section id=…&gt;</c>, and the small script that replaces sections from the server-sent events of
    /// <paramref name="streamPath"/>.
    /// </summary>
    public static string Page(DashboardPage page, string banner, string streamPath)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(page.Title)).Append(" · edge-fleet</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<nav><a href=\"/\">Fleet</a> <a href=\"/rollouts\">Rollouts</a> <span id=\"live\" data-state=\"connecting\">connecting…</span></nav>")
            .Append("<h1>").Append(Encode(page.Title)).Append("</h1>").Append(banner);
        if (page.Actions.Length > 0)
        {
            html.Append("<div id=\"actions\">").Append(page.Actions).Append("</div>");
        }

        foreach (var (id, content) in page.Sections)
        {
            html.Append("<section id=\"").Append(Encode(id)).Append("\">").Append(content).Append("</section>");
        }

        html.Append("<script>const stream=\"").Append(JavaScriptEncoder.Default.Encode(streamPath)).Append("\";").Append(Script).Append("</script></body></html>");
        return html.ToString();
    }

    /// <summary>A button that posts to an action endpoint (only drawn when actions are enabled).</summary>
    /// <param name="reasonField">The id of an input (see <see cref="ReasonField"/>) whose value is sent as the action's reason, or null.</param>
    public static string ActionButton(bool actionsEnabled, string id, string label, string path, string? reasonField = null)
    {
        if (!actionsEnabled)
        {
            return string.Empty;
        }

        var field = reasonField is null ? string.Empty : $" data-reason=\"{Encode(reasonField)}\"";
        return $"<button id=\"{Encode(id)}\" class=\"action\" data-action=\"{Encode(path)}\"{field}>{Encode(label)}</button> ";
    }

    /// <summary>A text input for an action's reason (only drawn when actions are enabled).</summary>
    public static string ReasonField(bool actionsEnabled, string id) =>
        actionsEnabled ? $"<input id=\"{Encode(id)}\" placeholder=\"reason\" size=\"40\"> " : string.Empty;

    private const string Style =
        "body{font-family:sans-serif;margin:1.5em;color:#222}nav a{margin-right:1em}#live{float:right;font-size:.8em;color:#666}"
        + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
        + ".breach{color:#b00;font-weight:bold}.online{color:#080}.offline{color:#888}.readonly{background:#eee;padding:.4em}"
        + ".auth{background:#eef6ff;padding:.4em}.kpi{background:#ffd}svg{border:1px solid #ccc;background:#fff}";

    // Replaces each section named in a snapshot; action buttons post with the token and show the one-line answer.
    private const string Script =
        "const live=document.getElementById('live');const es=new EventSource(stream);"
        + "es.addEventListener('snapshot',e=>{const s=JSON.parse(e.data);for(const[k,v]of Object.entries(s.sections)){const el=document.getElementById(k);if(el)el.innerHTML=v;}"
        + "live.dataset.state='live';live.dataset.version=s.version;live.textContent='live · '+s.generated;});"
        + "es.onerror=()=>{live.dataset.state='reconnecting';live.textContent='reconnecting…';};"
        + "document.addEventListener('click',async e=>{const b=e.target.closest('button[data-action]');if(!b)return;"
        + "const body={};if(b.dataset.reason){body.reason=document.getElementById(b.dataset.reason).value;}"
        + "const t=document.getElementById('token');const res=await fetch(b.dataset.action,{method:'POST',headers:{'Content-Type':'application/json',"
        + "'Authorization':'Bearer '+(t?t.value:'')},body:JSON.stringify(body)});"
        + "document.getElementById('action-result').textContent=res.status+': '+(await res.text());});";
}
