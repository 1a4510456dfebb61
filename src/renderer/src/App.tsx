/** Signed out → the login page; signed in → the desk. */
import { DeskShell } from '@renderer/features/shell/DeskShell';
import { LoginPage } from '@renderer/features/auth/LoginPage';
import { selectIsSignedIn, useSessionStore } from '@renderer/stores/session';

export function App() {
  const signedIn = useSessionStore(selectIsSignedIn);
  return signedIn ? <DeskShell /> : <LoginPage />;
}
