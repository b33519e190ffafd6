package io.github.ssestarter.sample;

import java.net.http.HttpResponse;

import io.github.ssestarter.sample.SampleClient.EventStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page and its sign-in over real HTTP: the form login gives a session whose cookie
 * opens the notifications stream, as a browser's EventSource does.
 */
class SignInTests extends AbstractSampleTests {

	@Test
	void dashboardIsServedWithItsScriptAndStyles() {
		HttpResponse<String> page = this.client.get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<script src=\"app.js\"", "<link rel=\"stylesheet\" href=\"app.css\">");
		assertThat(this.client.get("/app.js").statusCode()).isEqualTo(200);
		assertThat(this.client.get("/app.css").statusCode()).isEqualTo(200);
	}

	@Test
	void sessionOfAnAnonymousClientHasNoUserButACsrfToken() {
		JsonNode session = this.client.json(this.client.get("/api/session"));
		assertThat(session.get("user").isNull()).isTrue();
		assertThat(session.get("csrfParameter").asString()).isEqualTo("_csrf");
		assertThat(session.get("csrfToken").asString()).isNotBlank();
	}

	@Test
	void sessionNamesTheUserSignedInWithHttpBasic() {
		JsonNode session = this.client.json(this.client.get("/api/session", "Authorization", SampleClient.BOB));
		assertThat(session.get("user").asString()).isEqualTo("bob");
	}

	@Test
	void formLoginGivesASessionCookieThatOpensTheNotificationsStream() {
		HttpResponse<String> anonymous = this.client.get("/api/session");
		String cookie = SampleClient.sessionCookie(anonymous);
		String token = this.client.json(anonymous).get("csrfToken").asString();

		HttpResponse<String> login = this.client.post("/login", "application/x-www-form-urlencoded",
				SampleClient.form("username", "alice", "password", "alice", "_csrf", token), "Cookie", cookie);
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith("/"));
		String signedIn = SampleClient.sessionCookie(login);

		assertThat(this.client.json(this.client.get("/api/session", "Cookie", signedIn)).get("user").asString())
			.isEqualTo("alice");
		try (EventStream stream = this.client.stream("/api/notifications/stream", "Cookie", signedIn)) {
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	@Test
	void formLoginWithAWrongPasswordGoesBackToTheDashboardWithAnError() {
		HttpResponse<String> anonymous = this.client.get("/api/session");
		HttpResponse<String> login = this.client.post("/login", "application/x-www-form-urlencoded",
				SampleClient.form("username", "alice", "password", "nope", "_csrf",
						this.client.json(anonymous).get("csrfToken").asString()),
				"Cookie", SampleClient.sessionCookie(anonymous));
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith("/?error"));
	}

	@Test
	void formLoginWithoutTheCsrfTokenIsForbidden() {
		HttpResponse<String> login = this.client.post("/login", "application/x-www-form-urlencoded",
				SampleClient.form("username", "alice", "password", "alice"));
		assertThat(login.statusCode()).isEqualTo(403);
	}

}
