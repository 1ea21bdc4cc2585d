import { useEffect, useState } from 'react';
import { subscribeNotices } from './notices.ts';

export const Notices = () => {
  const [notices, setNotices] = useState<readonly string[]>([]);
  useEffect(() => subscribeNotices(setNotices), []);
  if (!notices.length) return null;
  return (
    <div className="notices" role="status" data-testid="notices">
      {notices.map((n, i) => (
        <p key={i}>{n}</p>
      ))}
    </div>
  );
};
