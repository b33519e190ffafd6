package io.github.ssestarter.sample;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Who is in which team: alice is in team {@code red}, bob in team {@code blue}. A real
 * application would ask its user store.
 */
@Component
class Teams {

	private final Map<String, String> teamOfUser = Map.of("alice", "red", "bob", "blue");

	boolean isMember(String user, String team) {
		return team.equals(this.teamOfUser.get(user));
	}

}
