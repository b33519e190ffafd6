package io.github.ssestarter.sample;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells the dashboard who is signed in, and gives it the CSRF token its login and logout forms
 * must send.
 */
@RestController
class SessionController {

	@GetMapping("/api/session")
	SessionInfo session(@Nullable Principal principal, CsrfToken csrf) {
		return new SessionInfo((principal != null) ? principal.getName() : null, csrf.getParameterName(),
				csrf.getToken());
	}

	/**
	 * The browser's session.
	 *
	 * @param user the signed-in user's name, or {@code null}
	 * @param csrfParameter the form parameter that carries the CSRF token
	 * @param csrfToken the CSRF token
	 */
	record SessionInfo(@Nullable String user, String csrfParameter, String csrfToken) {
	}

}
