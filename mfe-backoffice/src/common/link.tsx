import type { MouseEvent, ReactNode } from "react";
import { useBackOffice } from "./page-frame";

/** A real link (opens in a new tab with Ctrl-click) that moves the shell's router otherwise. */
export function ShellLink({ to, children, label }: { to: string; children: ReactNode; label?: string }) {
  const { navigate } = useBackOffice();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} aria-label={label}>
      {children}
    </a>
  );
}
