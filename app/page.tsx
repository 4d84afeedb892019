export default function HomePage() {
  return <main>Scan to sign in</main>;
}
