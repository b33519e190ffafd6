package io.github.ssestarter.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.ssestarter.sample.SampleClient.ALICE;
import static io.github.ssestarter.sample.SampleClient.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Team rooms over real HTTP: only members stream or post to a team (alice is in red, bob in
 * blue), replays included, and signing out ends a user's open streams.
 */
class TeamsTests extends AbstractSampleTests {

	@Test
	void memberReceivesTheMessagesPostedToTheirTeam() {
		try (EventStream red = this.client.stream("/api/teams/red/stream", "Authorization", ALICE)) {
			assertThat(red.status()).isEqualTo(200);
			HttpResponse<String> posted = post("red", "{\"text\": \"hello reds\"}", ALICE);
			assertThat(posted.statusCode()).isEqualTo(202);
			String id = this.client.json(posted).get("id").asString();
			SseEvent event = red.next();
			assertThat(event.eventType()).isEqualTo("message");
			assertThat(event.lastEventId()).isEqualTo(id);
			JsonNode message = this.client.json(event);
			assertThat(message.get("team").asString()).isEqualTo("red");
			assertThat(message.get("from").asString()).isEqualTo("alice");
			assertThat(message.get("text").asString()).isEqualTo("hello reds");
			assertThat(message.size()).isEqualTo(3);
		}
	}

	@Test
	void otherUsersMayNotStreamATeamNotEvenWithOneOfItsIds() {
		String id = this.client.json(post("red", "{\"text\": \"red only\"}", ALICE)).get("id").asString();
		try (EventStream bob = this.client.stream("/api/teams/red/stream", "Authorization", BOB)) {
			assertThat(bob.status()).isEqualTo(403);
			assertThat(bob.header("Content-Type")).isEqualTo("application/problem+json");
		}
		HttpResponse<String> replay = this.client.get("/api/teams/red/stream", "Authorization", BOB, "Last-Event-ID",
				id);
		assertThat(replay.statusCode()).isEqualTo(403);
		assertThat(replay.body()).doesNotContain("red only");
		try (EventStream blue = this.client.stream("/api/teams/blue/stream", "Authorization", BOB)) {
			assertThat(blue.status()).isEqualTo(200);
		}
	}

	@Test
	void streamWithoutSigningInIsRefusedWith401() {
		assertThat(this.client.get("/api/teams/red/stream", "Accept", "text/event-stream").statusCode()).isEqualTo(401);
		assertThat(this.client.postJson("/api/teams/red/messages", "{\"text\": \"hi\"}").statusCode()).isEqualTo(401);
	}

	@Test
	void onlyMembersMayPostAndOnlyTextOfOneToAThousandCharacters() {
		assertThat(post("red", "{\"text\": \"not mine\"}", BOB).statusCode()).isEqualTo(403);
		HttpResponse<String> blank = post("red", "{\"text\": \"  \"}", ALICE);
		assertThat(blank.statusCode()).isEqualTo(400);
		assertThat(blank.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(post("red", "{}", ALICE).statusCode()).isEqualTo(400);
		assertThat(post("red", "{\"text\": \"" + "x".repeat(1001) + "\"}", ALICE).statusCode()).isEqualTo(400);
		assertThat(post("red", "{\"text\": \"" + "x".repeat(1000) + "\"}", ALICE).statusCode()).isEqualTo(202);
	}

	@Test
	void signingOutEndsTheUsersOpenStreams() {
		HttpResponse<String> anonymous = this.client.get("/api/session");
		HttpResponse<String> login = this.client.post("/login", "application/x-www-form-urlencoded",
				SampleClient.form("username", "alice", "password", "alice", "_csrf",
						this.client.json(anonymous).get("csrfToken").asString()),
				"Cookie", SampleClient.sessionCookie(anonymous));
		String signedIn = SampleClient.sessionCookie(login);
		String token = this.client.json(this.client.get("/api/session", "Cookie", signedIn)).get("csrfToken").asString();
		try (EventStream red = this.client.stream("/api/teams/red/stream", "Cookie", signedIn);
				EventStream bob = this.client.stream("/api/teams/blue/stream", "Authorization", BOB)) {
			assertThat(red.status()).isEqualTo(200);
			HttpResponse<String> logout = this.client.post("/logout", "application/x-www-form-urlencoded",
					SampleClient.form("_csrf", token), "Cookie", signedIn);
			assertThat(logout.statusCode()).isLessThan(400);
			// Ended while the sign-out is handled.
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), red::next)).as("alice's stream ends").isNull();
			post("blue", "{\"text\": \"bob stays\"}", BOB);
			assertThat(this.client.json(bob.next()).get("text").asString()).isEqualTo("bob stays");
		}
	}

	private HttpResponse<String> post(String team, String json, String credentials) {
		return this.client.postJson("/api/teams/" + team + "/messages", json, "Authorization", credentials);
	}

}
